// Paying a bill with a new card, saving a card, and 3-D Secure, through
// Stripe.js (loaded before this file from the configured Stripe.js URL).
// The server never trusts what this script says: after Stripe.js it sends
// the browser to a return address where the server reads the payment from
// Stripe itself.
(function () {
  "use strict";
  if (typeof window.Stripe !== "function") return;

  function setup(root, formId, buttonId, run) {
    var form = document.getElementById(formId);
    var button = document.getElementById(buttonId);
    var errors = document.getElementById("card-errors");
    if (!form || !button) return;
    var stripe = window.Stripe(root.dataset.key);
    var card = stripe.elements().create("card");
    card.mount("#card-element");
    var label = button.textContent;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      button.disabled = true;
      button.textContent = root.dataset.busy;
      errors.textContent = "";
      run(stripe, card).then(function (result) {
        if (result && result.error) {
          errors.textContent = result.error.message || root.dataset.failed || "";
          button.disabled = false;
          button.textContent = label;
        }
      });
    });
    return stripe;
  }

  var pay = document.getElementById("stripe-pay");
  if (pay) {
    var back = pay.dataset["return"];
    var stripe = setup(pay, "pay-new", "pay-new-submit", function (s, card) {
      return s.confirmCardPayment(pay.dataset.secret, { payment_method: { card: card } })
        .then(function (result) {
          if (!result.error) window.location.assign(back);
          return result;
        });
    });
    // The card's bank asked the payer to authenticate a saved card's payment.
    if (pay.dataset.authenticate === "1") {
      var s = stripe || window.Stripe(pay.dataset.key);
      s.confirmCardPayment(pay.dataset.secret).then(function (result) {
        if (result.error) {
          var errors = document.getElementById("card-errors");
          if (errors) errors.textContent = result.error.message || pay.dataset.failed || "";
        } else {
          window.location.assign(back);
        }
      });
    }
  }

  var save = document.getElementById("stripe-card");
  if (save) {
    setup(save, "card-form", "card-submit", function (s, card) {
      return s.confirmCardSetup(save.dataset.secret, { payment_method: { card: card } })
        .then(function (result) {
          if (!result.error && result.setupIntent) {
            window.location.assign(save.dataset["return"] + "?setup_intent=" +
              encodeURIComponent(result.setupIntent.id));
          }
          return result;
        });
    });
  }
})();
