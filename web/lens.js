// Runs once in the lens output (gr.HTML js_on_load). A marked term shows its definition while it has focus
// (Tab, or a tap: a tap on a tabindex element focuses it) or the pointer; a second tap or Escape closes it.
element.addEventListener('pointerdown', (event) => {
  const term = event.target.closest('.lens-term');
  if (term && document.activeElement === term && event.pointerType !== 'mouse') {
    event.preventDefault();
    term.blur();
  }
});
element.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && event.target.closest('.lens-term')) event.target.blur();
});
