//! Example plugin: a seasonal colour and greeting for the hub.
//!
//! Implements `theme`: the primary colour follows the season of the page's date
//! (hemisphere configurable), December brings a holiday greeting on the home
//! page, and an HR admin can add a greeting of their own.

use std::collections::BTreeMap;

use hearth_plugin_sdk::prelude::*;
use serde::Deserialize;

/// The hub's config for this plugin; every field is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `"south"` flips the seasons.
    pub hemisphere: Option<String>,
    /// A greeting shown on every page as the `banner` text.
    pub greeting: Option<String>,
    /// Colours per season (`winter`, `spring`, `summer`, `autumn`) replacing the built-in ones.
    pub colors: BTreeMap<String, String>,
}

fn season(month: u32, south: bool) -> &'static str {
    let north = match month {
        12 | 1 | 2 => "winter",
        3..=5 => "spring",
        6..=8 => "summer",
        _ => "autumn",
    };
    if !south {
        return north;
    }
    match north {
        "winter" => "summer",
        "summer" => "winter",
        "spring" => "autumn",
        _ => "spring",
    }
}

fn default_color(season: &str) -> &'static str {
    match season {
        "winter" => "#2e5c8a",
        "spring" => "#3f8f4f",
        "summer" => "#d9822b",
        _ => "#a0522d",
    }
}

/// `theme`: seasonal primary colour, holiday greeting in December, the hub's own banner.
pub fn theme(ctx: &Context<Config>, input: ThemeInput) -> Result<Theme, String> {
    let config = &ctx.config;
    let today = Date::parse(&input.context.date)
        .ok_or_else(|| format!("invalid date {:?}", input.context.date))?;
    let south = config.hemisphere.as_deref() == Some("south");
    let season = season(today.month, south);
    let color = config
        .colors
        .get(season)
        .cloned()
        .unwrap_or_else(|| default_color(season).to_string());

    let mut variables = BTreeMap::new();
    variables.insert("primary_color".to_string(), color);
    variables.insert("season".to_string(), season.to_string());

    let mut texts = BTreeMap::new();
    if today.month == 12 && input.context.page == "home" {
        texts.insert(
            "welcome_title".to_string(),
            format!("Happy holidays from {}", ctx.hub.name),
        );
    }
    if let Some(greeting) = &config.greeting {
        texts.insert("banner".to_string(), greeting.clone());
    }
    Ok(Theme::new(variables, texts))
}

hearth_plugin_sdk::export_hooks! {
    config = Config;
    theme = theme;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(date: &str, page: &str) -> ThemeInput {
        ThemeInput {
            context: ThemeContext {
                date: date.into(),
                page: page.into(),
                locale: "en".into(),
            },
        }
    }

    fn ctx(config: Config) -> Context<Config> {
        Context {
            hub: Hub {
                name: "Acme".into(),
                ..Hub::default()
            },
            config,
        }
    }

    #[test]
    fn december_home_page_greets_for_the_holidays() {
        let Theme::Theme { variables, texts } =
            theme(&ctx(Config::default()), input("2026-12-03", "home")).unwrap();
        assert_eq!(variables["primary_color"], "#2e5c8a");
        assert_eq!(texts["welcome_title"], "Happy holidays from Acme");
    }

    #[test]
    fn the_south_has_summer_in_january() {
        let config = Config {
            hemisphere: Some("south".into()),
            ..Config::default()
        };
        let Theme::Theme { variables, texts } =
            theme(&ctx(config), input("2026-01-15", "booking")).unwrap();
        assert_eq!(variables["season"], "summer");
        assert!(texts.is_empty());
    }
}
