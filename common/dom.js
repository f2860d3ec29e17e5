// The one way the screens build an element: text always through textContent, never markup, since
// product and firm names come from 650 firms' CSVs.

export function make(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
