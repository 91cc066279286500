// Fills a sign-up form's hidden timezone field with the browser's (IANA) zone,
// so times are shown in it from the first page. Without JavaScript the field
// stays empty and the hub's timezone applies.
(function () {
  var field = document.getElementById('f-timezone');
  if (!field) { return; }
  try {
    field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || '';
  } catch (e) { /* an old browser: the hub's timezone applies */ }
})();
