/**
 * draw.io in tldraw's UI: "Export as draw.io" and "Import draw.io file…" in the main menu, and
 * draw.io files dropped or pasted on the canvas (other files keep tldraw's default handling).
 * Both read the whole board (to export it, to find free space and count shapes), so each first
 * calls `loadAll`: the part of a large board still loading goes into the editor at once.
 */
import { useEffect, useMemo } from 'react'
import {
  DefaultMainMenu,
  DefaultMainMenuContent,
  defaultHandleExternalFileContent,
  defaultHandleExternalTextContent,
  TldrawUiMenuGroup,
  TldrawUiMenuItem,
  useEditor,
  useToasts,
  useTranslation,
} from 'tldraw'
import { maxAssetBytes } from '../assets/uploadLimits'
import {
  downloadDrawio,
  type ImportOutcome,
  importDrawio,
  importDrawioFile,
  isDrawioFile,
  isDrawioText,
} from './drawioFiles'

function useReportImport() {
  const { addToast } = useToasts()
  return (name: string, outcome: ImportOutcome) =>
    addToast(
      outcome.ok
        ? {
            title: `Imported ${name}`,
            description:
              `${outcome.shapes} shapes, ${outcome.edges} connectors${outcome.skipped ? `, ${outcome.skipped} skipped` : ''}.` +
              outcome.skippedItems.map((item) => ` ${item.reason}.`).join(''),
            severity: outcome.skippedItems.length > 0 ? 'warning' : 'success',
          }
        : { title: `Could not import ${name}`, description: outcome.error, severity: 'error' },
    )
}

interface DrawioProps {
  canEdit: boolean
  /** Puts the rest of a board still loading into the editor. */
  loadAll: () => void
}

export function DrawioMainMenu({ title, canEdit, loadAll }: DrawioProps & { title: string }) {
  const editor = useEditor()
  const report = useReportImport()
  const { addToast } = useToasts()
  // One input for the menu's lifetime, created outside its content (unmounted while closed); a
  // menu item may fire twice, and one input cannot import one choice twice.
  const input = useMemo(() => {
    const element = document.createElement('input')
    element.type = 'file'
    element.accept = '.drawio,.xml,.svg,.png'
    return element
  }, [])
  input.onchange = async () => {
    const file = input.files?.[0]
    input.value = ''
    if (!file) return
    loadAll()
    report(file.name, await importDrawioFile(editor, file))
  }
  const chooseFile = () => input.click()
  return (
    <DefaultMainMenu>
      <TldrawUiMenuGroup id="drawio">
        <TldrawUiMenuItem
          id="export-drawio"
          label="Export as draw.io (.drawio)"
          readonlyOk
          onSelect={async () => {
            loadAll()
            const { unmapped } = await downloadDrawio(editor, title)
            if (unmapped > 0) {
              addToast({
                title: 'Exported to draw.io',
                description: `${unmapped} item(s) have no draw.io equivalent and were left out.`,
                severity: 'warning',
              })
            }
          }}
        />
        {canEdit && (
          <TldrawUiMenuItem id="import-drawio" label="Import draw.io file…" onSelect={chooseFile} />
        )}
      </TldrawUiMenuGroup>
      <DefaultMainMenuContent />
    </DefaultMainMenu>
  )
}

/** Routes dropped/pasted draw.io files and pasted draw.io XML to the importer; the rest to tldraw's default. */
export function DrawioDropHandler({ canEdit, loadAll }: DrawioProps) {
  const editor = useEditor()
  const toasts = useToasts()
  const msg = useTranslation()
  const report = useReportImport()
  useEffect(() => {
    if (!canEdit) return
    editor.registerExternalContentHandler('files', async ({ files, point }) => {
      const diagrams = files.filter(isDrawioFile)
      if (diagrams.length > 0) loadAll()
      for (const file of diagrams) report(file.name, await importDrawioFile(editor, file))
      const others = files.filter((file) => !isDrawioFile(file))
      // tldraw refuses (and says so) files over the server's limit before any upload.
      if (others.length > 0)
        await defaultHandleExternalFileContent(
          editor,
          { files: others, point },
          { toasts, msg, maxAssetSize: await maxAssetBytes() },
        )
    })
    editor.registerExternalContentHandler('text', async (content) => {
      if (isDrawioText(content.text)) {
        loadAll()
        report('the pasted diagram', await importDrawio(editor, content.text))
      } else await defaultHandleExternalTextContent(editor, content)
    })
  }, [editor, canEdit, toasts, msg, report, loadAll])
  return null
}
