/**
 * Untrusted XML text → a minimal element tree (name, attributes, child elements, own text), built
 * from the events of `saxes`, a strict XML 1.0 parser: well-formedness, attribute rules, and only
 * the five predefined entities and character references — an entity it does not know is an error,
 * nothing is ever expanded from a DTD or fetched. This file only decides what is kept.
 * Must not touch: draw.io semantics.
 */
import { SaxesParser } from 'saxes'

export class XmlElement {
  readonly children: XmlElement[] = []
  /** The element's own character data (not its descendants'), entities already decoded. */
  text = ''

  constructor(
    readonly nodeName: string,
    private readonly attributes: Readonly<Record<string, string>>,
  ) {}

  /** Same contract as the DOM's: null when the attribute is absent. */
  getAttribute(name: string): string | null {
    return Object.hasOwn(this.attributes, name) ? (this.attributes[name] ?? null) : null
  }

  /** Every attribute, by name. */
  attributeEntries(): Array<[string, string]> {
    return Object.entries(this.attributes)
  }

  /** The child elements named `name`, in document order. */
  childrenNamed(name: string): XmlElement[] {
    return this.children.filter((child) => child.nodeName === name)
  }
}

export interface XmlTree {
  documentElement: XmlElement | null
}

/** Why a text is not well-formed XML, in the parser's words. */
export class XmlParseError extends Error {}

/** Parses XML into an {@link XmlTree}; throws {@link XmlParseError} on anything not well-formed. */
export function parseXmlTree(text: string): XmlTree {
  const parser = new SaxesParser({ xmlns: false, position: true })
  const stack: XmlElement[] = []
  let root: XmlElement | null = null
  // The first error ends the parse (saxes would otherwise go on and report more).
  parser.on('error', (error) => {
    throw new XmlParseError(error.message)
  })
  parser.on('opentag', (tag) => {
    const element = new XmlElement(tag.name, tag.attributes as Record<string, string>)
    const parent = stack[stack.length - 1]
    if (parent) parent.children.push(element)
    else root = element
    stack.push(element)
  })
  parser.on('closetag', () => {
    stack.pop()
  })
  const addText = (data: string) => {
    const element = stack[stack.length - 1]
    if (element) element.text += data
  }
  parser.on('text', addText)
  parser.on('cdata', addText)
  parser.write(text).close()
  return { documentElement: root }
}
