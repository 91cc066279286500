//! The hub's welcome text: Markdown rendered to HTML, then cleaned by an
//! allow-list (ammonia), so an HR admin's text can never carry script.

/// Renders `text` (CommonMark) to safe HTML.
pub fn render(text: &str) -> String {
    let parser = pulldown_cmark::Parser::new_ext(text, pulldown_cmark::Options::empty());
    let mut html = String::with_capacity(text.len() * 2);
    pulldown_cmark::html::push_html(&mut html, parser);
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .clean(&html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn markdown_is_rendered_and_script_removed() {
        let html = render("# Hello\n\n**Welcome** to [us](https://example.com).\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[x](javascript:alert(3))");
        assert!(html.contains("<h1>Hello</h1>"), "{html}");
        assert!(html.contains("<strong>Welcome</strong>"), "{html}");
        assert!(html.contains("href=\"https://example.com\""), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }
}
