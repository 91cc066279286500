//! Lists in pages (the consoles' hubs, companies, audit entries, emails): the
//! page a request asks for, and the links between pages.

use serde::{Deserialize, Serialize};

use crate::i18n::Msg;
use crate::web::error::AppError;
use crate::web::form::FieldMsgs;

/// Rows a page.
pub const PAGE_SIZE: i64 = 50;
/// The deepest page a list offers (an offset past it costs too much).
pub const MAX_PAGE: i64 = 10_000;

/// The page asked for (`?page=`, 1 when not given) and its offset. A page
/// that is not a number from 1 to [`MAX_PAGE`] is a field error on `page`,
/// worded by `message` (which takes `$max`).
pub fn page_offset(page: Option<&str>, message: &'static str) -> Result<(i64, i64), AppError> {
    let page = match page.map(str::trim) {
        None | Some("") => 1,
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=MAX_PAGE).contains(n))
            .ok_or_else(|| {
                AppError::Validation(FieldMsgs::from([(
                    "page",
                    Msg::new(message).arg("max", MAX_PAGE),
                )]))
            })?,
    };
    Ok((page, (page - 1) * PAGE_SIZE))
}

/// `path` with `pairs` as its query (pairs with an empty value left out).
pub fn with_query(path: &str, pairs: &[(&str, &str)]) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (key, value) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
        query.append_pair(key, value);
    }
    let query = query.finish();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

/// Where a form on a list came from, to go back to: the list's search and
/// page, sent along as hidden fields.
#[derive(Debug, Default, Deserialize)]
pub struct ListPlace {
    /// The search.
    pub q: Option<String>,
    /// The page.
    pub page: Option<String>,
}

/// The links between the pages of a list.
#[derive(Debug, Serialize)]
pub struct Pager {
    /// This page.
    pub page: i64,
    /// How many pages there are (at least one).
    pub pages: i64,
    /// The previous page's address, if any.
    pub prev: Option<String>,
    /// The next page's address, if any.
    pub next: Option<String>,
}

impl Pager {
    /// Page `page` of `total` rows at `path`, keeping the query's `keep` pairs.
    pub fn new(path: &str, keep: &[(&str, &str)], page: i64, total: i64) -> Self {
        let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).clamp(1, MAX_PAGE);
        let link = |n: i64| {
            let number = n.to_string();
            let mut pairs: Vec<(&str, &str)> = keep.to_vec();
            if n > 1 {
                pairs.push(("page", &number));
            }
            with_query(path, &pairs)
        };
        Self {
            page,
            pages,
            prev: (page > 1).then(|| link((page - 1).min(pages))),
            next: (page < pages).then(|| link(page + 1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_link_to_their_neighbours_keeping_the_search() {
        let p = Pager::new("/operator/hubs", &[("q", "acme & co")], 2, 121);
        assert_eq!(p.pages, 3);
        assert_eq!(p.prev.as_deref(), Some("/operator/hubs?q=acme+%26+co"));
        assert_eq!(
            p.next.as_deref(),
            Some("/operator/hubs?q=acme+%26+co&page=3")
        );
        let last = Pager::new("/x", &[("q", "")], 3, 121);
        assert_eq!((last.prev.as_deref(), last.next), (Some("/x?page=2"), None));
        // Past the end: back to the last page.
        let past = Pager::new("/x", &[], 9, 10);
        assert_eq!((past.pages, past.prev.as_deref()), (1, Some("/x")));
        assert!(page_offset(Some("0"), "operator-error-page").is_err());
        assert!(page_offset(Some("x"), "operator-error-page").is_err());
        assert_eq!(
            page_offset(Some(" 3 "), "operator-error-page").ok(),
            Some((3, 100))
        );
        assert_eq!(page_offset(None, "operator-error-page").ok(), Some((1, 0)));
    }
}
