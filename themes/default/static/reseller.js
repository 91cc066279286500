// Onboarding a company: suggests a slug from the company's name until the
// slug is typed by hand (the server checks the slug whatever is sent), and
// says the hub is being made while the form is sent, once.
(function () {
  var form = document.getElementById('onboard-form');
  var progress = document.getElementById('onboard-progress');
  if (form && progress) {
    var sent = false;
    form.addEventListener('submit', function (e) {
      if (sent) { e.preventDefault(); return; }
      sent = true;
      progress.textContent = progress.getAttribute('data-working');
      var button = form.querySelector('button[type="submit"]');
      if (button) button.setAttribute('aria-disabled', 'true');
    });
  }
})();
(function () {
  var name = document.getElementById('f-name');
  var slug = document.getElementById('f-slug');
  if (!name || !slug) return;
  var touched = slug.value !== '';
  slug.addEventListener('input', function () { touched = slug.value !== ''; });
  function suggest(text) {
    var s = text.toLowerCase()
      .replace(/æ/g, 'ae').replace(/þ/g, 'th').replace(/ð/g, 'd').replace(/ö/g, 'o')
      .normalize('NFD').replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
    return s.slice(0, 40).replace(/-+$/g, '');
  }
  name.addEventListener('input', function () {
    if (!touched) slug.value = suggest(name.value);
  });
})();
