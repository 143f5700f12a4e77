// A button that removes something or cannot be undone asks first: <button data-confirm="Question?">.
// A static file (the Content-Security-Policy allows no inline handler); without JavaScript the
// button simply acts, as before.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});
