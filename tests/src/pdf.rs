//! Reading PDFs back: the text a bill or receipt PDF carries.

/// The extracted text of a PDF, page after page (each piece of text set on
/// its own ends with a line break), through the fonts' `/ToUnicode` maps.
pub fn text_of(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("a PDF that lopdf can read");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages)
        .expect("the text of every page of the PDF")
}
