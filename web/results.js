// Runs once in the results component (gr.HTML js_on_load): `element`, `trigger`, `watch` come from Gradio.
// Term and "all terms" links are real links (?term=..., ?view=all) so they can be opened in a new tab;
// a plain click opens them in place through the server instead of reloading the page.
element.addEventListener('click', (event) => {
  const link = event.target.closest('a[data-view]');
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  trigger('click', { view: link.dataset.view, term: link.dataset.term || '' });
});
// Each view names its address in data-url: keep the address bar on it, so what is on screen can be shared.
watch('value', () => {
  const view = element.querySelector('.view');
  if (view && view.hasAttribute('data-url')) {
    history.replaceState(history.state, '', view.dataset.url || location.pathname);
  }
  const target = element.querySelector('[data-focus]');
  if (target) target.focus();
});
