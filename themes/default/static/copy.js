// A "Copy" button for a read-only field (the guest link): shown only where
// the clipboard can be written, says "Copied" through a live region.
(() => {
  'use strict';
  const button = document.getElementById('copy-link');
  if (!button || !navigator.clipboard) { return; }
  const field = document.getElementById(button.dataset.copy);
  const status = document.getElementById('copy-status');
  if (!field) { return; }
  button.hidden = false;
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(field.value);
      if (status) { status.textContent = button.dataset.copied; }
    } catch (e) {
      field.select();
    }
  });
})();
