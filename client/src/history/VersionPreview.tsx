/**
 * A version shown read-only over the live board (which stays mounted, so "Restore" is an undoable
 * change of the person's own editor). Rendered by the board, outside tldraw's own UI tree.
 */
import type { TLRecord } from '@drawbridge/shared'
import { useState } from 'react'
import { createTLStore, defaultBindingUtils, defaultShapeUtils, type Editor, Tldraw } from 'tldraw'
import { loadedConfig } from '../app/appConfig'
import { themeClass } from '../app/theme'
import { boardShapeUtils } from '../board/shapeUtils'
import { assetUrls } from '../board/tldrawAssets'
import { describeVersion, type Version } from './versionsApi'

export function VersionPreview(props: {
  version: Version
  records: TLRecord[]
  onRestore?: () => void
  onClose: () => void
}) {
  const [store] = useState(() => {
    const preview = createTLStore({ shapeUtils: defaultShapeUtils, bindingUtils: defaultBindingUtils })
    preview.mergeRemoteChanges(() => preview.put(props.records as never))
    return preview
  })
  return (
    <div className={`version-preview ${themeClass()}`} data-testid="version-preview">
      <div className="version-preview-bar">
        <span>Previewing: {describeVersion(props.version)}</span>
        {props.onRestore && (
          <button type="button" className="primary" onClick={props.onRestore}>
            Restore this version
          </button>
        )}
        <button type="button" onClick={props.onClose}>
          Back to the board
        </button>
      </div>
      <Tldraw
        store={store}
        shapeUtils={boardShapeUtils}
        assetUrls={assetUrls}
        licenseKey={loadedConfig()?.tldrawLicenseKey}
        hideUi
        onMount={(editor: Editor) => {
          editor.updateInstanceState({ isReadonly: true })
          editor.zoomToFit()
        }}
      />
    </div>
  )
}
