//! Typed hook calls: envelope out, checked decision back.

use std::time::Instant;

use hearth_plugin_sdk::abi::{
    BookingAllowed, BookingAllowedInput, CreditCost, CreditCostInput, Hook, Hub, PeriodGrant,
    PeriodGrantInput, Reply, Theme, ThemeInput, ABI_VERSION,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{FailureReason, PluginError};
use crate::host::PluginHost;
use crate::limits::Limits;
use crate::metrics;
use crate::module::PluginModule;

/// Who a call is for: the hub, and the config its HR admin saved for the plugin.
#[derive(Clone, Copy, Debug)]
pub struct CallContext<'a> {
    /// The hub the call is made for.
    pub hub: &'a Hub,
    /// The hub's config for this plugin (`Value::Null` when none).
    pub config: &'a serde_json::Value,
}

/// What a hook call produced when the plugin ran fine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome<T> {
    /// The plugin decided.
    Decided(T),
    /// The plugin deferred to the hub's declarative policy.
    Deferred,
    /// The plugin does not export this hook: the hub's declarative policy applies.
    NotExported,
}

/// A hook's input type, which fixes the hook and its output.
pub trait HookCall: Serialize {
    /// The hook this input is for.
    const HOOK: Hook;
    /// The decision the hook returns.
    type Output: DeserializeOwned + CheckOutput;
}

impl HookCall for CreditCostInput {
    const HOOK: Hook = Hook::CreditCost;
    type Output = CreditCost;
}

impl HookCall for PeriodGrantInput {
    const HOOK: Hook = Hook::PeriodGrant;
    type Output = PeriodGrant;
}

impl HookCall for BookingAllowedInput {
    const HOOK: Hook = Hook::BookingAllowed;
    type Output = BookingAllowed;
}

impl HookCall for ThemeInput {
    const HOOK: Hook = Hook::Theme;
    type Output = Theme;
}

/// Checks a decision's values, beyond its JSON shape, before the host trusts it.
pub trait CheckOutput {
    /// `Err` describes what is wrong; the call then counts as malformed output.
    fn check(&self, limits: &Limits) -> Result<(), String>;
}

fn check_credits(credits: u32, limits: &Limits) -> Result<(), String> {
    if credits > limits.max_credits {
        return Err(format!(
            "{credits} credits exceeds the maximum of {}",
            limits.max_credits
        ));
    }
    Ok(())
}

/// A refusal reason is shown to members: one short plain-text sentence.
fn check_reason(reason: &str) -> Result<(), String> {
    if reason.trim().is_empty() {
        return Err("empty refusal reason".into());
    }
    if reason.chars().count() > 300 {
        return Err("refusal reason longer than 300 characters".into());
    }
    if reason.chars().any(char::is_control) {
        return Err("control characters in refusal reason".into());
    }
    Ok(())
}

impl CheckOutput for CreditCost {
    fn check(&self, limits: &Limits) -> Result<(), String> {
        match self {
            CreditCost::Cost { credits } => check_credits(*credits, limits),
            CreditCost::Refuse { reason } => check_reason(reason),
        }
    }
}

impl CheckOutput for PeriodGrant {
    fn check(&self, limits: &Limits) -> Result<(), String> {
        match self {
            PeriodGrant::Grant { credits } => check_credits(*credits, limits),
        }
    }
}

impl CheckOutput for BookingAllowed {
    fn check(&self, _: &Limits) -> Result<(), String> {
        match self {
            BookingAllowed::Allow => Ok(()),
            BookingAllowed::Refuse { reason } => check_reason(reason),
        }
    }
}

/// Most theme variables a plugin may set.
pub const MAX_THEME_VARIABLES: usize = 64;
/// Most theme texts a plugin may set.
pub const MAX_THEME_TEXTS: usize = 32;

fn check_key(key: &str) -> Result<(), String> {
    let mut chars = key.chars();
    let well_formed = key.len() <= 64
        && chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if well_formed {
        Ok(())
    } else {
        Err(format!(
            "invalid name {key:?} (a-z, 0-9, _ and -, 64 at most)"
        ))
    }
}

/// CSS functions a theme value may use: computing colours and sizes, never fetching anything.
const CSS_FUNCTIONS: &[&str] = &[
    "rgb",
    "rgba",
    "hsl",
    "hsla",
    "hwb",
    "lab",
    "lch",
    "oklab",
    "oklch",
    "color-mix",
    "calc",
    "min",
    "max",
    "clamp",
    "var",
];

/// A theme variable becomes a CSS custom property value: plain tokens only, no `url()`,
/// no quotes, no `;`, `{`, `}` or `<` that could escape the declaration.
fn check_css_value(value: &str) -> Result<(), String> {
    if value.is_empty() || value.len() > 200 {
        return Err("theme value empty or longer than 200 bytes".into());
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || " #%.,()-_+/".contains(c);
    if let Some(bad) = value.chars().find(|c| !allowed(*c)) {
        return Err(format!("character {bad:?} not allowed in a theme value"));
    }
    for (open, _) in value.match_indices('(') {
        let before = &value[..open];
        let name_start = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .map_or(0, |i| i + 1);
        let name = before[name_start..].to_ascii_lowercase();
        if !name.is_empty() && !CSS_FUNCTIONS.contains(&name.as_str()) {
            return Err(format!(
                "CSS function {name}() not allowed in a theme value"
            ));
        }
    }
    Ok(())
}

impl CheckOutput for Theme {
    fn check(&self, _: &Limits) -> Result<(), String> {
        let Theme::Theme { variables, texts } = self;
        if variables.len() > MAX_THEME_VARIABLES || texts.len() > MAX_THEME_TEXTS {
            return Err(format!(
                "at most {MAX_THEME_VARIABLES} variables and {MAX_THEME_TEXTS} texts"
            ));
        }
        for (key, value) in variables {
            check_key(key)?;
            check_css_value(value).map_err(|e| format!("variable {key}: {e}"))?;
        }
        for (key, text) in texts {
            check_key(key)?;
            if text.chars().count() > 500 || text.chars().any(|c| c.is_control() && c != '\n') {
                return Err(format!(
                    "text {key}: longer than 500 characters or has control characters"
                ));
            }
        }
        Ok(())
    }
}

/// The envelope as the host writes it: borrowed, so nothing is copied.
#[derive(Serialize)]
struct EnvelopeOut<'a, I> {
    abi: u32,
    hook: Hook,
    hub: &'a Hub,
    config: &'a serde_json::Value,
    input: &'a I,
}

/// The JSON document a hook receives.
///
/// Built whole, then measured: the input is the host's own data (bounded by
/// what the database holds for one member and period), and serializing into a
/// plain `Vec` is measurably cheaper per call than a writer checking every write.
pub(crate) fn encode_input<I: HookCall>(
    ctx: &CallContext<'_>,
    input: &I,
    limits: &Limits,
) -> Result<Vec<u8>, PluginError> {
    let envelope = EnvelopeOut {
        abi: ABI_VERSION,
        hook: I::HOOK,
        hub: ctx.hub,
        config: ctx.config,
        input,
    };
    let mut bytes = Vec::with_capacity(1024);
    serde_json::to_writer(&mut bytes, &envelope)
        .map_err(|e| PluginError::call(FailureReason::Host, format!("cannot encode input: {e}")))?;
    if bytes.len() > limits.max_input_bytes {
        return Err(PluginError::call(
            FailureReason::InputTooLarge,
            format!(
                "input of {} bytes exceeds the cap of {} bytes",
                bytes.len(),
                limits.max_input_bytes
            ),
        ));
    }
    Ok(bytes)
}

/// Parses and checks a hook's output.
pub(crate) fn decode_output<T: DeserializeOwned + CheckOutput>(
    bytes: &[u8],
    limits: &Limits,
) -> Result<Outcome<T>, PluginError> {
    let malformed = |detail: String| PluginError::call(FailureReason::MalformedOutput, detail);
    match Reply::<T>::from_json(bytes) {
        Ok(Reply::Decide(value)) => {
            value.check(limits).map_err(malformed)?;
            Ok(Outcome::Decided(value))
        }
        Ok(Reply::Defer) => Ok(Outcome::Deferred),
        Ok(Reply::Fail { message }) => Err(PluginError::call(
            FailureReason::GuestError,
            format!("plugin reported: {:?}", truncate(&message, 200)),
        )),
        Err(e) => Err(malformed(format!("invalid output: {e}"))),
    }
}

fn truncate(text: &str, max_chars: usize) -> &str {
    text.char_indices()
        .nth(max_chars)
        .map_or(text, |(i, _)| &text[..i])
}

impl PluginHost {
    /// Calls the hook `I` is the input of, in a fresh instance under every limit.
    ///
    /// Synchronous, bounded CPU work (at most the deadline, 50 ms by default,
    /// typically microseconds); use [`PluginHost::call_async`] from async code.
    /// A failure has already been logged (with plugin id and hub) and counted
    /// in `hearth_plugin_failures_total` when this returns.
    pub fn call<I: HookCall>(
        &self,
        module: &PluginModule,
        ctx: &CallContext<'_>,
        input: &I,
    ) -> Result<Outcome<I::Output>, PluginError> {
        if !module.implements(I::HOOK) {
            return Ok(Outcome::NotExported);
        }
        let started = Instant::now();
        let limits = self.limits();
        let result = encode_input(ctx, input, limits).and_then(|bytes| {
            self.invoke(module, I::HOOK, &ctx.hub.slug, &bytes, |out| {
                decode_output::<I::Output>(out, limits)
            })
        });
        metrics::call(I::HOOK, &result, started.elapsed());
        if let Err(error) = &result {
            tracing::warn!(
                plugin = %module.0.short_id,
                hub = %ctx.hub.slug,
                hook = %I::HOOK,
                reason = %error.reason().unwrap_or(FailureReason::Host),
                %error,
                "plugin call failed; the hub's policy applies"
            );
        }
        result
    }

    /// `credit_cost`: what a booking costs, or a refusal shown to the member.
    pub fn credit_cost(
        &self,
        module: &PluginModule,
        ctx: &CallContext<'_>,
        input: &CreditCostInput,
    ) -> Result<Outcome<CreditCost>, PluginError> {
        self.call(module, ctx, input)
    }

    /// `period_grant`: credits granted to a member for a period.
    pub fn period_grant(
        &self,
        module: &PluginModule,
        ctx: &CallContext<'_>,
        input: &PeriodGrantInput,
    ) -> Result<Outcome<PeriodGrant>, PluginError> {
        self.call(module, ctx, input)
    }

    /// `booking_allowed`: whether a booking may be made, or why not.
    pub fn booking_allowed(
        &self,
        module: &PluginModule,
        ctx: &CallContext<'_>,
        input: &BookingAllowedInput,
    ) -> Result<Outcome<BookingAllowed>, PluginError> {
        self.call(module, ctx, input)
    }

    /// `theme`: theme variables and texts for a hub page.
    pub fn theme(
        &self,
        module: &PluginModule,
        ctx: &CallContext<'_>,
        input: &ThemeInput,
    ) -> Result<Outcome<Theme>, PluginError> {
        self.call(module, ctx, input)
    }

    /// [`PluginHost::call`] on tokio's blocking pool.
    pub async fn call_async<I>(
        &self,
        module: &PluginModule,
        hub: &Hub,
        config: &serde_json::Value,
        input: I,
    ) -> Result<Outcome<I::Output>, PluginError>
    where
        I: HookCall + Send + 'static,
        I::Output: Send + 'static,
    {
        let (host, module, hub, config) =
            (self.clone(), module.clone(), hub.clone(), config.clone());
        crate::host::blocking(move || {
            host.call(
                &module,
                &CallContext {
                    hub: &hub,
                    config: &config,
                },
                &input,
            )
        })
        .await
    }

    /// The JSON document the plugin describes its config with, if it exports `hearth_config_schema`.
    ///
    /// Runs under the same limits as a hook; call it when a plugin is uploaded
    /// to show the HR admin a form or validate their config.
    pub fn config_schema(
        &self,
        module: &PluginModule,
    ) -> Result<Option<serde_json::Value>, PluginError> {
        self.invoke_config_schema(module, |bytes| {
            serde_json::from_slice(bytes).map_err(|e| {
                PluginError::call(
                    FailureReason::MalformedOutput,
                    format!("config schema is not JSON: {e}"),
                )
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn theme(variables: &[(&str, &str)]) -> Theme {
        let variables: BTreeMap<String, String> = variables
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Theme::new(variables, BTreeMap::new())
    }

    #[test]
    fn theme_values_cannot_escape_their_declaration_or_fetch() {
        let limits = Limits::default();
        for ok in [
            "#c0392b",
            "rgb(10, 20, 30)",
            "calc(1rem + 2px)",
            "Inter, sans-serif",
        ] {
            assert!(
                theme(&[("primary_color", ok)]).check(&limits).is_ok(),
                "{ok}"
            );
        }
        for bad in [
            "red; background: url(x)",
            "url(//evil.example/x.png)",
            "image-set(x 1x)",
            "}</style><script>",
            "\"quoted\"",
            "",
        ] {
            assert!(
                theme(&[("primary_color", bad)]).check(&limits).is_err(),
                "{bad}"
            );
        }
        assert!(theme(&[("Primary Color", "red")]).check(&limits).is_err());
    }

    #[test]
    fn decisions_are_checked_beyond_their_shape() {
        let limits = Limits::default();
        assert!(CreditCost::cost(2).check(&limits).is_ok());
        assert!(CreditCost::cost(limits.max_credits + 1)
            .check(&limits)
            .is_err());
        assert!(CreditCost::refuse("  ").check(&limits).is_err());
        assert!(BookingAllowed::refuse("At most 2 sessions a month.")
            .check(&limits)
            .is_ok());
        assert!(BookingAllowed::refuse("line\u{7}bell")
            .check(&limits)
            .is_err());
    }

    #[test]
    fn oversized_inputs_are_refused() {
        let limits = Limits {
            max_input_bytes: 64,
            ..Limits::default()
        };
        let hub = Hub::default();
        let config = serde_json::json!({ "padding": "x".repeat(100) });
        let ctx = CallContext {
            hub: &hub,
            config: &config,
        };
        let error = encode_input(&ctx, &ThemeInput::default(), &limits).unwrap_err();
        assert_eq!(error.reason(), Some(FailureReason::InputTooLarge));
    }

    #[test]
    fn guest_errors_and_garbage_are_failures() {
        let limits = Limits::default();
        let fail =
            decode_output::<CreditCost>(br#"{"decision":"error","message":"bad config"}"#, &limits);
        assert_eq!(fail.unwrap_err().reason(), Some(FailureReason::GuestError));
        let garbage = decode_output::<CreditCost>(b"\xff\xfe", &limits);
        assert_eq!(
            garbage.unwrap_err().reason(),
            Some(FailureReason::MalformedOutput)
        );
        let deferred = decode_output::<CreditCost>(br#"{"decision":"defer"}"#, &limits);
        assert_eq!(deferred.unwrap(), Outcome::Deferred);
    }
}
