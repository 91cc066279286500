"""localstripe (a stateful fake Stripe server), patched to answer in the shape
Stripe documents, for Hearth's development (`hearth dev`) and tests.

async-stripe parses every object strictly: a field its API description marks
as always present must be there, or the whole object (and a webhook's event)
fails to parse. localstripe 1.15.10 leaves some of those out. Each object
below gets, only when localstripe did not send it, the field Stripe's API
reference documents as always present, with the value Stripe gives it:

PaymentIntent
  amount_capturable    `amount` while status is requires_capture, else 0.
  amount_received      `amount` once status is succeeded, else 0.
  confirmation_method  'automatic' (Stripe's default; localstripe has no
                       other).
  payment_method_types ['card'] (the only type Hearth uses).
  last_payment_error.type
                       Stripe's errors always carry a `type`: 'card_error'
                       for a decline, 'invalid_request_error' for a failed
                       3-D Secure authentication (as Stripe reports it).
Charge
  amount_captured      `amount` when captured (and not failed), else 0.
  billing_details      The payment method's billing details (below), or all
                       null: {address, email, name, phone}.
  disputed             false (localstripe has no disputes).
PaymentMethod
  billing_details      Always {address: {city, country, line1, line2,
                       postal_code, state}, email, name, phone}, null where
                       unknown (localstripe keeps what it was given, or {}).
Refund
  payment_intent       The charge's PaymentIntent when the refund was made
                       with `charge=` (localstripe leaves it null).
Event
  pending_webhooks     How many configured webhooks (POST
                       /_config/webhooks/<id>) take the event when it
                       happens: 1 or 0 for Hearth's one.

Error (the body of a 402 for a declined card)
  type                 'card_error', as Stripe says of declines (localstripe
                       says 'invalid_request_error' of every error), and
  decline_code         'generic_decline'.

Customer and SetupIntent already parse; nothing is changed in them.

Behaviour Stripe documents that localstripe lacks, added here:
  * A SetupIntent that succeeds for a customer attaches its PaymentMethod to
    that customer (so GET /v1/payment_methods?customer=… lists it), and sends
    `setup_intent.succeeded`.
  * A refund sends `refund.created` and `charge.refunded` (the charge).
  * GET /v1/charges takes `payment_intent=` (localstripe answered 500).
  * A failed 3-D Secure authentication of a PaymentIntent (POST
    /v1/payment_intents/<id>/_authenticate?success=false, what the Stripe.js
    stand-in does on "Fail authentication") sends
    `payment_intent.payment_failed`.
  * Stripe.js stand-in: `confirmCardPayment(clientSecret, {payment_method:
    {card: cardElement}})` (or `{payment_method: 'pm_…'}`) confirms the
    PaymentIntent with that card, then authenticates it if the card asks for
    3-D Secure, as Stripe.js does; localstripe's ignores its second argument
    and only completes a PaymentIntent already in requires_action. A failed
    authentication resolves to {error: {code:
    'payment_intent_authentication_failure', …, payment_intent}} (Stripe.js's
    shape), not to {paymentIntent} in requires_payment_method. For it,
    POST /v1/payment_intents/<id>/confirm takes the publishable key with the
    client secret and `payment_method_data` or `payment_method`, as Stripe's
    does for Stripe.js, also after a decline (localstripe's refuses a
    PaymentIntent whose last charge failed).
  * POST /v1/payment_intents/<id>/confirm with the secret key takes
    `payment_method` (a saved card), as Stripe's API reference documents,
    also after a decline; localstripe answered 500 "Not implemented".
  * State: kept in memory only, unless `--state FILE` (localstripe itself
    pickles everything to /tmp/localstripe.pickle on every change, shared by
    every instance on the machine, and reloads it at start).

Usage: hearth_localstripe.py [--host 127.0.0.1] [--port 0] [--state FILE]
Prints `listening on HOST:PORT` (the port it bound, when given 0) on stdout,
then logs requests and webhook deliveries on stderr.
"""

import argparse
import logging
import os
import pickle
import re
import socket
import sys

from aiohttp import web

from localstripe import errors, resources, webhooks
from localstripe.resources import (Charge, Event, PaymentIntent,
                                   PaymentMethod, Refund, SetupIntent)

NULL_ADDRESS = dict.fromkeys(
    ('city', 'country', 'line1', 'line2', 'postal_code', 'state'))


def billing_details(given):
    """Stripe's full billing_details shape, null where unknown."""
    given = given if isinstance(given, dict) else {}
    address = given.get('address')
    address = dict(NULL_ADDRESS,
                   **(address if isinstance(address, dict) else {}))
    out = dict(given, address=address)
    for key in ('email', 'name', 'phone'):
        out.setdefault(key, None)
    return out


def add_fields(cls, fields):
    """Makes `cls._export` add `fields(self, exported)`'s keys it lacks."""
    original = cls._export

    def _export(self, expand=None):
        obj = original(self, expand=expand)
        for key, value in fields(self, obj).items():
            if obj.get(key) is None:
                obj[key] = value
        return obj

    cls._export = _export


def payment_intent_fields(pi, obj):
    status = obj.get('status')
    error = obj.get('last_payment_error')
    if isinstance(error, dict) and 'type' not in error:
        obj['last_payment_error'] = dict(error, type=(
            'invalid_request_error'
            if error.get('code') == 'payment_intent_authentication_failure'
            else 'card_error'))
    return {
        'amount_capturable': pi.amount if status == 'requires_capture' else 0,
        'amount_received': pi.amount if status == 'succeeded' else 0,
        'confirmation_method': 'automatic',
        'payment_method_types': ['card'],
    }


def charge_fields(charge, obj):
    try:
        details = getattr(PaymentMethod._api_retrieve(charge.payment_method),
                          'billing_details', None)
    except Exception:  # a removed payment method: no details
        details = None
    captured = charge.captured and charge.status != 'failed'
    return {
        'amount_captured': charge.amount if captured else 0,
        'billing_details': billing_details(details),
        'disputed': False,
    }


def payment_method_fields(pm, obj):
    obj['billing_details'] = billing_details(obj.get('billing_details'))
    return {}


def refund_fields(refund, obj):
    try:
        return {'payment_intent':
                Charge._api_retrieve(refund.charge).payment_intent}
    except Exception:
        return {}


add_fields(PaymentIntent, payment_intent_fields)
add_fields(Charge, charge_fields)
add_fields(PaymentMethod, payment_method_fields)
add_fields(Refund, refund_fields)

_error_init = errors.UserError.__init__


def error_init(self, code, message=None, contents=None):
    _error_init(self, code, message, contents)
    if self.body['error'].get('code') == 'card_declined':
        self.body['error']['type'] = 'card_error'
        self.body['error'].setdefault('decline_code', 'generic_decline')


errors.UserError.__init__ = error_init

_event_init = Event.__init__


def event_init(self, type, data):
    _event_init(self, type, data)
    self.pending_webhooks = sum(
        1 for hook in webhooks._webhooks.values()
        if hook.events is None or type in hook.events)


Event.__init__ = event_init


def send(type, obj):
    webhooks.schedule_webhook(Event(type, obj))


# The routes of extra_apis are made when localstripe.server is imported
# (below), from the functions in this list then: replace them here first.
def replace_extra_api(method, url, func):
    for i, (m, u, _) in enumerate(resources.extra_apis):
        if (m, u) == (method, url):
            resources.extra_apis[i] = (m, u, func)
            return
    raise RuntimeError('localstripe has no route %s %s' % (method, url))


_setup_confirm = SetupIntent._api_confirm


def setup_intent_confirm(**data):
    seti = _setup_confirm(**data)
    if seti.status == 'succeeded' and seti.payment_method:
        pm = PaymentMethod._api_retrieve(seti.payment_method)
        if seti.customer and pm.customer is None:
            pm.customer = seti.customer
        send('setup_intent.succeeded', seti)
    return seti


replace_extra_api('POST', '/v1/setup_intents/{id}/confirm',
                  setup_intent_confirm)

_pi_authenticate = PaymentIntent._api_authenticate


def payment_intent_authenticate(**data):
    pi = _pi_authenticate(**data)
    if pi._authentication_failed:
        send('payment_intent.payment_failed', pi)
    return pi


replace_extra_api('POST', '/v1/payment_intents/{id}/_authenticate',
                  payment_intent_authenticate)

_pi_confirm = PaymentIntent._api_confirm


def with_payment_method(pi, payment_method):
    """Sets the card a confirmation pays with, as Stripe does for a
    PaymentIntent awaiting a payment method (also after a decline)."""
    if pi.status not in ('requires_payment_method', 'requires_confirmation'):
        raise errors.UserError(
            400, "This PaymentIntent's status does not allow confirmation.")
    pm = PaymentMethod._api_retrieve(payment_method)
    pi.payment_method = pm.id
    if pi.latest_charge is not None and pi.latest_charge.status == 'failed':
        pi.latest_charge = None  # a new attempt after a decline


def payment_intent_confirm(id=None, payment_method=None, **data):
    if payment_method is not None:
        with_payment_method(PaymentIntent._api_retrieve(id), payment_method)
    return _pi_confirm(id=id, **data)


replace_extra_api('POST', '/v1/payment_intents/{id}/confirm',
                  payment_intent_confirm)

_refund_create = Refund._api_create.__func__


@classmethod
def refund_create(cls, **data):
    refund = _refund_create(cls, **data)
    send('refund.created', refund)
    send('charge.refunded', Charge._api_retrieve(refund.charge))
    return refund


Refund._api_create = refund_create

_charge_list = Charge._api_list_all.__func__


@classmethod
def charge_list_all(cls, url, payment_intent=None, **data):
    charges = _charge_list(cls, url, **data)
    if payment_intent is not None:
        charges._list = [c for c in charges._list
                         if c.payment_intent == payment_intent]
    return charges


Charge._api_list_all = charge_list_all

# Persistence: none, or the file given.
state_file = None
loading = False


def dump_to_disk(self):
    # Unpickling a dict subclass calls __setitem__, which dumps: not then.
    if state_file and not loading:
        with open(state_file, 'wb') as f:
            pickle.dump(self, f, protocol=pickle.HIGHEST_PROTOCOL)


def try_load_from_disk(self):
    global loading
    if not state_file:
        return
    loading = True
    try:
        with open(state_file, 'rb') as f:
            old = pickle.load(f)
        dict.clear(self)
        dict.update(self, old)
    except FileNotFoundError:
        pass
    finally:
        loading = False


resources.Store.dump_to_disk = dump_to_disk
resources.Store.try_load_from_disk = try_load_from_disk

from localstripe import server  # noqa: E402 (after the routes' functions)


STRIPE_JS_ADDITION = '''
// Added by Hearth's hearth_localstripe.py: confirmCardPayment with a card
// (or a PaymentMethod id) confirms the PaymentIntent first, and a failed
// 3-D Secure authentication resolves to {error}, as Stripe.js does.
(function () {
  const localstripe = Stripe;
  Stripe = (apiKey) => {
    const stripe = localstripe(apiKey);
    const authenticate = stripe.confirmCardPayment;
    stripe.confirmCardPayment = async (clientSecret, data) => {
      const method = data && data.payment_method;
      if (method) {
        const pi = clientSecret.match(/^(pi_\\w+)_secret_/)[1];
        const body = {key: apiKey, client_secret: clientSecret};
        if (typeof method === 'string') {
          body.payment_method = method;
        } else {
          const card = method.card instanceof Element ?
            method.card.value.card : method.card;
          const details = Object.assign({}, method.billing_details);
          if (method.card instanceof Element) {
            details.address = Object.assign(
              {postal_code: method.card.value.postal_code}, details.address);
          }
          body.payment_method_data = {
            type: 'card', card, billing_details: details};
        }
        try {
          const response = await fetch(
            `${LOCALSTRIPE_BASE_API}/v1/payment_intents/${pi}/confirm`,
            {method: 'POST', body: JSON.stringify(body)});
          const res = await response.json().catch(() => ({}));
          if (response.status !== 200 || res.error) {
            return {error: res.error};
          } else if (res.status !== 'requires_action') {
            return {paymentIntent: res};
          }
        } catch (err) {
          return {error: err};
        }
      }
      // A failed authentication is an error, as Stripe.js reports it.
      const result = await authenticate(clientSecret);
      const pi = result.paymentIntent;
      if (pi && pi.status === 'requires_payment_method' &&
          pi.last_payment_error) {
        return {error: Object.assign({payment_intent: pi},
                                     pi.last_payment_error)};
      }
      return result;
    };
    return stripe;
  };
})();
'''


async def confirm_from_stripe_js(request, handler):
    """POST /v1/payment_intents/<id>/confirm with the publishable key and
    the client secret (what Stripe.js sends), a card's data or a
    PaymentMethod's id."""
    match = re.match(r'^/v1/payment_intents/(\w+)/confirm$', request.path)
    if (request.method != 'POST' or not match
            or server.get_api_key(request) is not None):
        return await handler(request)
    data = await server.get_post_data(request, remove_auth=False) or {}
    key = data.get('key')
    if not (isinstance(key, str) and key.startswith('pk_')):
        return await handler(request)  # localstripe's 401
    pi = PaymentIntent._api_retrieve(match.group(1))
    if data.get('client_secret') != pi.client_secret:
        raise errors.UserError(401, 'Unauthorized')
    if data.get('payment_method_data'):
        pm = PaymentMethod(**data['payment_method_data'])
    elif data.get('payment_method'):
        pm = PaymentMethod._api_retrieve(data['payment_method'])
    else:
        raise errors.UserError(400, 'Bad request')
    if pi.status not in ('requires_payment_method', 'requires_confirmation'):
        raise errors.UserError(400, 'Bad request')
    pi.payment_method = pm.id
    if pi.latest_charge is not None and pi.latest_charge.status == 'failed':
        pi.latest_charge = None  # a new attempt after a decline
    return server.json_response(PaymentIntent._api_confirm(pi.id)._export())


@web.middleware
async def additions(request, handler):
    """The Stripe.js stand-in with STRIPE_JS_ADDITION, and its confirm."""
    if request.method == 'GET' and request.path == '/js.stripe.com/v3/':
        path = os.path.join(os.path.dirname(server.__file__),
                            'localstripe-v3.js')
        with open(path) as f:
            return web.Response(text=f.read() + STRIPE_JS_ADDITION,
                                content_type='application/javascript')
    return await confirm_from_stripe_js(request, handler)


# After error_middleware (which turns errors into answers), before auth.
server.app.middlewares.insert(1, additions)


def main():
    global state_file
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=0)
    parser.add_argument('--state', help='file to keep the data in')
    args = parser.parse_args()
    state_file = args.state
    resources.store.try_load_from_disk()

    family = socket.AF_INET6 if ':' in args.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    sock.listen(128)
    print('listening on %s:%d' % (args.host, sock.getsockname()[1]),
          flush=True)

    logger = logging.getLogger('aiohttp.access')
    logger.setLevel(logging.DEBUG)
    logger.addHandler(logging.StreamHandler(sys.stderr))
    server.web.run_app(server.app, sock=sock, access_log=logger, print=None)


if __name__ == '__main__':
    main()
