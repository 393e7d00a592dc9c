/**
 * Untrusted XML text → a minimal element tree (name, attributes, child elements, own text), built
 * by `@xmldom/xmldom`'s SAX parser through its `domHandler` option instead of its full DOM. The
 * parsing — well-formedness, attribute and entity rules (only the five predefined entities and
 * character references; nothing is ever fetched or expanded) — is xmldom's; this file only decides
 * what is kept. The full DOM (node objects, attribute nodes, live lists, `normalize()` at the end)
 * took twice as long and most of the garbage of a 5,000-cell import. Must not touch: draw.io
 * semantics.
 */
import { DOMParser, ParseError } from '@xmldom/xmldom'

export class XmlElement {
  readonly children: XmlElement[] = []
  /** The element's own character data (not its descendants'), entities already decoded. */
  text = ''

  constructor(
    readonly nodeName: string,
    private readonly attributes: ReadonlyMap<string, string>,
  ) {}

  /** Same contract as the DOM's: null when the attribute is absent. */
  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null
  }

  /** The child elements named `name`, in document order. */
  childrenNamed(name: string): XmlElement[] {
    return this.children.filter((child) => child.nodeName === name)
  }

  /** xmldom's SAX parser reads the current element's name from `tagName` in one recovery path. */
  get tagName(): string {
    return this.nodeName
  }
}

export interface XmlTree {
  documentElement: XmlElement | null
}

/** The attribute list xmldom's SAX parser hands to `startElement`. */
interface SaxAttributes {
  length: number
  getQName(index: number): string
  getValue(index: number): string
}

const noop = () => {}

/**
 * The handler xmldom's `XMLReader` drives (the SAX2 ContentHandler/LexicalHandler/ErrorHandler
 * shape of its own DOMHandler). Errors throw xmldom's ParseError so the reader rethrows them as
 * they are; warnings (recoverable oddities xmldom fixes up) are ignored, as before.
 */
class TreeHandler {
  /** The reader reads `doc.documentElement`, and for stray top-level text calls these two. */
  readonly doc = {
    documentElement: null as XmlElement | null,
    createTextNode: (data: string) => ({ data }),
    appendChild: noop,
  }
  currentElement: XmlElement | undefined
  private readonly stack: XmlElement[] = []

  startElement(_namespace: string, localName: string, qName: string, attrs: SaxAttributes): void {
    const attributes = new Map<string, string>()
    for (let i = 0; i < attrs.length; i++) attributes.set(attrs.getQName(i), attrs.getValue(i))
    const element = new XmlElement(qName || localName, attributes)
    const parent = this.stack[this.stack.length - 1]
    if (parent) parent.children.push(element)
    else if (!this.doc.documentElement) this.doc.documentElement = element
    else throw new ParseError('more than one root element')
    this.stack.push(element)
    this.currentElement = element
  }

  endElement(): void {
    this.stack.pop()
    this.currentElement = this.stack[this.stack.length - 1]
  }

  characters(chars: string, start?: number, length?: number): void {
    const element = this.stack[this.stack.length - 1]
    if (element) element.text += start === undefined ? chars : chars.substr(start, length)
  }

  startDocument = noop
  endDocument = noop
  startPrefixMapping = noop
  endPrefixMapping = noop
  processingInstruction = noop
  ignorableWhitespace = noop
  skippedEntity = noop
  setDocumentLocator = noop
  comment = noop
  startCDATA = noop
  endCDATA = noop
  startDTD = noop
  endDTD = noop
  warning = noop

  error(message: string): never {
    throw new ParseError(message)
  }

  fatalError(message: string): never {
    throw new ParseError(message)
  }
}

/** Parses XML into an {@link XmlTree}; throws xmldom's ParseError on anything not well-formed. */
export function parseXmlTree(text: string): XmlTree {
  let handler: TreeHandler | undefined
  // xmldom constructs the handler itself (`new domHandler(options)`); keep hold of it.
  const domHandler = function (this: TreeHandler) {
    handler = new TreeHandler()
    return handler
  }
  new DOMParser({ locator: false, domHandler } as ConstructorParameters<typeof DOMParser>[0]).parseFromString(
    text,
    'text/xml',
  )
  return { documentElement: handler?.doc.documentElement ?? null }
}
