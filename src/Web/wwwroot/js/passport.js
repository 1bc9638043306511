// Progressive enhancement only: every page works without this file.
import { initAll } from '/nhsuk/nhsuk-frontend.min.js'

document.body.classList.add('js-enabled', 'nhsuk-frontend-supported')
initAll()

// A region marked data-refresh-url is replaced by the HTML fragment at that URL every few seconds, until the fragment
// says it is final (data-final on its root). Used for a decision arriving and an import's progress.
for (const region of document.querySelectorAll('[data-refresh-url]')) {
  const url = region.getAttribute('data-refresh-url')
  const every = Number(region.getAttribute('data-refresh-seconds') || '2') * 1000
  const manual = document.querySelectorAll('[data-refresh-manual]')
  manual.forEach((element) => { element.hidden = true })
  const tick = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: 'text/html' }, credentials: 'same-origin' })
      if (response.ok) {
        const html = await response.text()
        const holder = document.createElement('div')
        holder.innerHTML = html
        const next = holder.firstElementChild
        if (next && next.outerHTML !== region.firstElementChild?.outerHTML) {
          region.replaceChildren(...holder.childNodes)
        }
        if (next && next.hasAttribute('data-final')) {
          manual.forEach((element) => { element.hidden = false })
          const heading = region.querySelector('h2')
          if (heading) {
            heading.setAttribute('tabindex', '-1')
            heading.focus()
          }
          return
        }
      }
    } catch {
      // A dropped connection: try again at the next tick.
    }
    setTimeout(tick, every)
  }
  setTimeout(tick, every)
}
