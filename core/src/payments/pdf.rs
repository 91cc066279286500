//! Bills and receipts as PDF (A4): the text is set in DejaVu Sans, shipped with
//! the program, and each PDF embeds only the glyphs it uses.
//!
//! Every distinct character of a document gets its own CID, which a
//! `/ToUnicode` map ties back to that character, so the text copies and
//! extracts exactly as it was given (Icelandic letters included), even where
//! two characters share a glyph or the font lacks one.

use std::collections::HashMap;
use std::sync::LazyLock;

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use ttf_parser::{Face, FaceParsingError, GlyphId};

/// A bill or receipt laid out for print: every text already in the reader's
/// language and every amount already formatted (this module only places text).
#[derive(Debug, Clone, Default)]
pub struct Printed {
    /// Document title, e.g. "Bill 12" / "Reikningur 12" or "Receipt for bill 12".
    pub heading: String,
    /// The seller block: business name, address lines, tax id line.
    pub seller: Vec<String>,
    /// Label above the client block ("Billed to").
    pub client_label: String,
    /// The client block: name, email.
    pub client: Vec<String>,
    /// Facts as label/value pairs: bill number, issued, due, status, paid on…
    pub facts: Vec<(String, String)>,
    /// Column headings of the lines table: description, quantity, unit price, amount.
    pub columns: [String; 4],
    /// The lines: description, quantity, unit price, amount.
    pub lines: Vec<[String; 4]>,
    /// Totals as label/value pairs: subtotal, tax, total, refunded…; the row
    /// whose label equals `total_label` is set in bold.
    pub totals: Vec<(String, String)>,
    /// The label of the totals row set in bold.
    pub total_label: String,
    /// A closing line (how to pay, or "Paid with thanks").
    pub footer: String,
}

/// Why a PDF was not made.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// An embedded font could not be read (a broken build, not bad input).
    #[error("the embedded font {name} could not be parsed: {source}")]
    Font {
        /// Which font.
        name: &'static str,
        /// What the parser said.
        source: FaceParsingError,
    },
    /// The font could not be cut down to the glyphs the document uses.
    #[error("the font {name} could not be subset: {reason}")]
    Subset {
        /// Which font.
        name: &'static str,
        /// What the subsetter said.
        reason: subsetter::Error,
    },
}

/// The document as PDF bytes (A4).
pub fn render(doc: &Printed) -> Result<Vec<u8>, PdfError> {
    let regular = FontUse::new(&REGULAR)?;
    let bold = FontUse::new(&BOLD)?;
    let mut layout = Layout::new(regular, bold);
    layout.document(doc);
    layout.finish(&doc.heading)
}

// ---------------------------------------------------------------------------
// Fonts

/// One of the shipped fonts: its bytes and, parsed once, its tables.
struct EmbeddedFont {
    /// Its PostScript name, as the PDF names it.
    name: &'static str,
    data: &'static [u8],
    face: LazyLock<Result<Face<'static>, FaceParsingError>>,
}

const REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

static REGULAR: EmbeddedFont = EmbeddedFont {
    name: "DejaVuSans",
    data: REGULAR_TTF,
    face: LazyLock::new(|| Face::parse(REGULAR_TTF, 0)),
};

static BOLD: EmbeddedFont = EmbeddedFont {
    name: "DejaVuSans-Bold",
    data: BOLD_TTF,
    face: LazyLock::new(|| Face::parse(BOLD_TTF, 0)),
};

/// A font as one document uses it: which characters it has shown, each with
/// its own CID (1, 2, 3… in order of first use; CID 0 is `.notdef`).
struct FontUse {
    font: &'static EmbeddedFont,
    face: &'static Face<'static>,
    scale: f32,
    cids: HashMap<char, u16>,
    chars: Vec<char>,
}

impl FontUse {
    fn new(font: &'static EmbeddedFont) -> Result<Self, PdfError> {
        let face = font.face.as_ref().map_err(|&source| PdfError::Font {
            name: font.name,
            source,
        })?;
        let units = f32::from(face.units_per_em().max(1));
        Ok(Self {
            font,
            face,
            scale: 1000.0 / units,
            cids: HashMap::new(),
            chars: Vec::new(),
        })
    }

    /// The advance of `c` in thousandths of the font size.
    fn advance(&self, c: char) -> f32 {
        let glyph = self.face.glyph_index(c).unwrap_or(GlyphId(0));
        f32::from(self.face.glyph_hor_advance(glyph).unwrap_or(0)) * self.scale
    }

    /// The width of `text` set at `size` points.
    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(c)).sum::<f32>() * size / 1000.0
    }

    /// `text` as the two-byte CIDs the content stream shows (Identity-H).
    fn encode(&mut self, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let cid = match self.cids.get(&c) {
                Some(&cid) => cid,
                None => match u16::try_from(self.chars.len() + 1) {
                    Ok(cid) if cid < u16::MAX => {
                        self.cids.insert(c, cid);
                        self.chars.push(c);
                        cid
                    }
                    // More distinct characters than CIDs: show `.notdef`.
                    _ => 0,
                },
            };
            out.extend_from_slice(&cid.to_be_bytes());
        }
        out
    }

    /// Writes the font's objects: the Type 0 font at `ids.font`.
    fn write(&self, pdf: &mut Pdf, ids: FontIds) -> Result<(), PdfError> {
        let face = self.face;
        let system_info = SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        };

        // The subset: the glyph of each CID, renumbered by the subsetter.
        let mut remapper = subsetter::GlyphRemapper::new();
        let mut cid_to_gid = vec![0u8, 0u8];
        for &c in &self.chars {
            let glyph = face.glyph_index(c).unwrap_or(GlyphId(0));
            let new = remapper.remap(glyph.0);
            cid_to_gid.extend_from_slice(&new.to_be_bytes());
        }
        let subset =
            subsetter::subset(self.font.data, 0, &remapper).map_err(|reason| PdfError::Subset {
                name: self.font.name,
                reason,
            })?;
        let base_font = format!("{}+{}", self.subset_tag(), self.font.name);
        let base_font = Name(base_font.as_bytes());

        pdf.type0_font(ids.font)
            .base_font(base_font)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(ids.cid_font)
            .to_unicode(ids.to_unicode);

        let mut cid_font = pdf.cid_font(ids.cid_font);
        cid_font
            .subtype(CidFontType::Type2)
            .base_font(base_font)
            .system_info(system_info)
            .font_descriptor(ids.descriptor)
            .default_width(self.advance('\u{0}'))
            .cid_to_gid_map_stream(ids.cid_to_gid);
        cid_font
            .widths()
            .consecutive(1, self.chars.iter().map(|&c| self.advance(c)));
        cid_font.finish();

        let bbox = face.global_bounding_box();
        let s = self.scale;
        let ascent = f32::from(face.ascender()) * s;
        let weight = f32::from(face.weight().to_number());
        pdf.font_descriptor(ids.descriptor)
            .name(base_font)
            .flags(FontFlags::SYMBOLIC)
            .bbox(Rect::new(
                f32::from(bbox.x_min) * s,
                f32::from(bbox.y_min) * s,
                f32::from(bbox.x_max) * s,
                f32::from(bbox.y_max) * s,
            ))
            .italic_angle(face.italic_angle())
            .ascent(ascent)
            .descent(f32::from(face.descender()) * s)
            .cap_height(face.capital_height().map_or(ascent, |h| f32::from(h) * s))
            .stem_v(10.0 + 0.244 * (weight - 50.0))
            .font_file2(ids.file);

        pdf.stream(ids.file, &deflate(&subset))
            .filter(pdf_writer::Filter::FlateDecode);
        pdf.stream(ids.cid_to_gid, &deflate(&cid_to_gid))
            .filter(pdf_writer::Filter::FlateDecode);

        let mut cmap = UnicodeCmap::new(Name(b"Custom"), system_info);
        for (cid, &c) in (1u16..).zip(&self.chars) {
            cmap.pair(cid, c);
        }
        pdf.cmap(ids.to_unicode, &cmap.finish())
            .name(Name(b"Custom"))
            .system_info(system_info);
        Ok(())
    }

    /// Six capitals naming this subset (PDF 32000-1 §9.6.4), from its characters.
    fn subset_tag(&self) -> String {
        // FNV-1a over the characters.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for &c in &self.chars {
            hash ^= u64::from(c);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        let mut tag = String::with_capacity(6);
        for _ in 0..6 {
            let letter = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                .get(usize::try_from(hash % 26).unwrap_or(0))
                .copied()
                .unwrap_or(b'A');
            tag.push(char::from(letter));
            hash /= 26;
        }
        tag
    }
}

/// The objects of one font.
#[derive(Clone, Copy)]
struct FontIds {
    font: Ref,
    cid_font: Ref,
    descriptor: Ref,
    file: Ref,
    cid_to_gid: Ref,
    to_unicode: Ref,
}

// ---------------------------------------------------------------------------
// Layout (PDF points; y grows upwards from the bottom of the page)

const PAGE_WIDTH: f32 = 595.28;
const PAGE_HEIGHT: f32 = 841.89;
/// 20 mm.
const MARGIN: f32 = 56.69;
const LEFT: f32 = MARGIN;
const RIGHT: f32 = PAGE_WIDTH - MARGIN;
const TOP: f32 = PAGE_HEIGHT - MARGIN;
const BOTTOM: f32 = MARGIN;
const CONTENT_WIDTH: f32 = RIGHT - LEFT;

const HEADING_SIZE: f32 = 20.0;
const BODY_SIZE: f32 = 9.5;
const LABEL_SIZE: f32 = 8.5;
const LEADING: f32 = 1.35;
const GAP: f32 = 8.0;

/// The lines table: the description column takes what the numbers leave.
const NUMBER_WIDTHS: [f32; 3] = [55.0, 95.0, 95.0];
const DESCRIPTION_WIDTH: f32 =
    CONTENT_WIDTH - NUMBER_WIDTHS[0] - NUMBER_WIDTHS[1] - NUMBER_WIDTHS[2] - 3.0 * GAP;

/// The facts, beside the seller: labels left-aligned, values right-aligned.
const SELLER_WIDTH: f32 = 240.0;
const FACT_LABEL_X: f32 = LEFT + SELLER_WIDTH + 15.0;
const FACT_VALUE_WIDTH: f32 = 115.0;
const FACT_LABEL_WIDTH: f32 = RIGHT - FACT_VALUE_WIDTH - GAP - FACT_LABEL_X;

/// The totals: labels right-aligned before the amount column.
const TOTAL_VALUE_WIDTH: f32 = NUMBER_WIDTHS[2];
const TOTAL_LABEL_RIGHT: f32 = RIGHT - TOTAL_VALUE_WIDTH - GAP;
const TOTAL_LABEL_WIDTH: f32 = 200.0;

const GREY: f32 = 0.4;
const RULE_GREY: f32 = 0.75;

#[derive(Clone, Copy, PartialEq)]
enum Style {
    Regular,
    Bold,
}

#[derive(Clone, Copy)]
enum Align {
    Left,
    Right,
}

/// One piece of text on a line: where it goes and how it is set.
struct Piece {
    text: String,
    style: Style,
    size: f32,
    grey: f32,
    align: Align,
    /// The left edge (`Align::Left`) or the right edge (`Align::Right`).
    x: f32,
}

struct Layout {
    regular: FontUse,
    bold: FontUse,
    pages: Vec<Content>,
    /// The top of the next line on the current page.
    y: f32,
    /// Nothing is on the current page yet.
    fresh: bool,
}

impl Layout {
    fn new(regular: FontUse, bold: FontUse) -> Self {
        Self {
            regular,
            bold,
            pages: vec![Content::new()],
            y: TOP,
            fresh: true,
        }
    }

    fn font(&self, style: Style) -> &FontUse {
        match style {
            Style::Regular => &self.regular,
            Style::Bold => &self.bold,
        }
    }

    fn font_mut(&mut self, style: Style) -> &mut FontUse {
        match style {
            Style::Regular => &mut self.regular,
            Style::Bold => &mut self.bold,
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Content::new());
        self.y = TOP;
        self.fresh = true;
    }

    /// Starts a new page unless `height` fits on this one (or this one is empty).
    fn need(&mut self, height: f32) -> bool {
        if !self.fresh && self.y - height < BOTTOM {
            self.new_page();
            true
        } else {
            false
        }
    }

    fn space(&mut self, height: f32) {
        if !self.fresh {
            self.y -= height;
        }
    }

    fn content(&mut self) -> &mut Content {
        if self.pages.is_empty() {
            self.pages.push(Content::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Sets one piece of text with its baseline at `baseline`.
    fn piece(&mut self, piece: &Piece, baseline: f32) {
        if piece.text.is_empty() {
            return;
        }
        let x = match piece.align {
            Align::Left => piece.x,
            Align::Right => piece.x - self.font(piece.style).width(&piece.text, piece.size),
        };
        let bytes = self.font_mut(piece.style).encode(&piece.text);
        let name = match piece.style {
            Style::Regular => Name(b"F1"),
            Style::Bold => Name(b"F2"),
        };
        self.fresh = false;
        let content = self.content();
        content.set_fill_gray(piece.grey);
        content.begin_text();
        content.set_font(name, piece.size);
        content.next_line(x, baseline);
        content.show(Str(&bytes));
        content.end_text();
    }

    /// Sets a line of pieces (the tallest sets the line's height), first
    /// starting a new page if the line does not fit.
    fn line(&mut self, pieces: &[Piece]) -> bool {
        let size = pieces.iter().map(|p| p.size).fold(BODY_SIZE, f32::max);
        let height = size * LEADING;
        let broke = self.need(height);
        let baseline = self.y - size;
        for piece in pieces {
            self.piece(piece, baseline);
        }
        self.fresh = false;
        self.y -= height;
        broke
    }

    /// A horizontal rule below the line just set (clear of its descenders),
    /// with a little space under it.
    fn rule(&mut self, from: f32, to: f32, grey: f32, width: f32) {
        self.y -= 1.0;
        let y = self.y;
        self.y -= 3.5;
        let content = self.content();
        content.set_stroke_gray(grey);
        content.set_line_width(width);
        content.move_to(from, y);
        content.line_to(to, y);
        content.stroke();
    }

    /// `text` broken into lines no wider than `width`: at spaces where it can,
    /// inside words that are wider than a line by themselves.
    fn wrap(&self, text: &str, style: Style, size: f32, width: f32) -> Vec<String> {
        let font = self.font(style);
        let width = width * 1000.0 / size;
        let space = font.advance(' ');
        let mut lines = Vec::new();
        let mut line = String::new();
        let mut line_width = 0.0;
        let cleaned: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        for word in cleaned.split(' ').filter(|w| !w.is_empty()) {
            let word_width: f32 = word.chars().map(|c| font.advance(c)).sum();
            if !line.is_empty() && line_width + space + word_width <= width {
                line.push(' ');
                line.push_str(word);
                line_width += space + word_width;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_width = 0.0;
            }
            if word_width <= width {
                line.push_str(word);
                line_width = word_width;
                continue;
            }
            // A word wider than the line: as many characters as fit on each.
            for c in word.chars() {
                let advance = font.advance(c);
                if !line.is_empty() && line_width + advance > width {
                    lines.push(std::mem::take(&mut line));
                    line_width = 0.0;
                }
                line.push(c);
                line_width += advance;
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// Rows of cells, each cell wrapped to its own width, set line by line so
    /// that a row taller than a page still flows on; `repeat` (e.g. the
    /// table's heading row) is set again at the top of each new page.
    fn rows(&mut self, rows: &[Vec<Cell>], repeat: Option<&[Cell]>, rules: bool) {
        for row in rows {
            let wrapped: Vec<Vec<String>> = row
                .iter()
                .map(|cell| self.wrap(&cell.text, cell.style, cell.size, cell.width))
                .collect();
            let count = wrapped.iter().map(Vec::len).max().unwrap_or(0).max(1);
            let size = row.iter().map(|c| c.size).fold(BODY_SIZE, f32::max);
            // Keep short rows whole: move the row to the next page if it fits there.
            if self.need(size * LEADING * count.min(4) as f32) {
                self.repeat(repeat);
            }
            for i in 0..count {
                let pieces: Vec<Piece> = row
                    .iter()
                    .zip(&wrapped)
                    .filter_map(|(cell, lines)| {
                        lines.get(i).map(|text| Piece {
                            text: text.clone(),
                            style: cell.style,
                            size: cell.size,
                            grey: cell.grey,
                            align: cell.align,
                            x: cell.x,
                        })
                    })
                    .collect();
                if self.need(size * LEADING) {
                    self.repeat(repeat);
                }
                self.line(&pieces);
            }
            if rules {
                self.rule(LEFT, RIGHT, RULE_GREY, 0.4);
            }
        }
    }

    fn repeat(&mut self, header: Option<&[Cell]>) {
        if let Some(header) = header {
            self.rows(&[header.to_vec()], None, false);
            self.rule(LEFT, RIGHT, 0.0, 0.8);
        }
    }

    fn document(&mut self, doc: &Printed) {
        // The heading.
        for text in self.wrap(&doc.heading, Style::Bold, HEADING_SIZE, CONTENT_WIDTH) {
            self.line(&[piece(
                text,
                Style::Bold,
                HEADING_SIZE,
                0.0,
                Align::Left,
                LEFT,
            )]);
        }
        self.space(14.0);

        // The seller (its first line, the business name, in bold) beside the facts.
        let mut left: Vec<(String, Style)> = Vec::new();
        for (i, text) in doc.seller.iter().enumerate() {
            let style = if i == 0 { Style::Bold } else { Style::Regular };
            for line in self.wrap(text, style, BODY_SIZE, SELLER_WIDTH) {
                left.push((line, style));
            }
        }
        let mut right: Vec<(Option<String>, Option<String>)> = Vec::new();
        for (label, value) in &doc.facts {
            let labels = self.wrap(label, Style::Regular, LABEL_SIZE, FACT_LABEL_WIDTH);
            let values = self.wrap(value, Style::Regular, BODY_SIZE, FACT_VALUE_WIDTH);
            for i in 0..labels.len().max(values.len()) {
                right.push((labels.get(i).cloned(), values.get(i).cloned()));
            }
        }
        for i in 0..left.len().max(right.len()) {
            let mut pieces = Vec::new();
            if let Some((text, style)) = left.get(i) {
                pieces.push(piece(
                    text.clone(),
                    *style,
                    BODY_SIZE,
                    0.0,
                    Align::Left,
                    LEFT,
                ));
            }
            if let Some((label, value)) = right.get(i) {
                if let Some(label) = label {
                    let label = label.clone();
                    pieces.push(piece(
                        label,
                        Style::Regular,
                        LABEL_SIZE,
                        GREY,
                        Align::Left,
                        FACT_LABEL_X,
                    ));
                }
                if let Some(value) = value {
                    pieces.push(piece(
                        value.clone(),
                        Style::Regular,
                        BODY_SIZE,
                        0.0,
                        Align::Right,
                        RIGHT,
                    ));
                }
            }
            self.line(&pieces);
        }
        self.space(16.0);

        // The client.
        if !doc.client_label.is_empty() || !doc.client.is_empty() {
            for text in self.wrap(&doc.client_label, Style::Bold, LABEL_SIZE, CONTENT_WIDTH) {
                self.line(&[piece(
                    text,
                    Style::Bold,
                    LABEL_SIZE,
                    GREY,
                    Align::Left,
                    LEFT,
                )]);
            }
            for text in &doc.client {
                for line in self.wrap(text, Style::Regular, BODY_SIZE, SELLER_WIDTH) {
                    self.line(&[piece(
                        line,
                        Style::Regular,
                        BODY_SIZE,
                        0.0,
                        Align::Left,
                        LEFT,
                    )]);
                }
            }
            self.space(18.0);
        }

        // The lines table.
        let header = table_row(&doc.columns, Style::Bold, LABEL_SIZE, GREY);
        let rows: Vec<Vec<Cell>> = doc
            .lines
            .iter()
            .map(|line| table_row(line, Style::Regular, BODY_SIZE, 0.0))
            .collect();
        if doc.columns.iter().any(|c| !c.is_empty()) || !rows.is_empty() {
            // The heading row with at least the first line below it; it is
            // set again on each further page only if it is short.
            self.need(4.0 * BODY_SIZE * LEADING);
            self.repeat(Some(&header));
            let height = header
                .iter()
                .map(|cell| {
                    self.wrap(&cell.text, cell.style, cell.size, cell.width)
                        .len()
                })
                .max()
                .unwrap_or(0) as f32
                * BODY_SIZE
                * LEADING;
            let repeat = (height <= (TOP - BOTTOM) / 8.0).then_some(header.as_slice());
            self.rows(&rows, repeat, true);
            self.space(10.0);
        }

        // The totals.
        let mut totals = Vec::new();
        for (label, value) in &doc.totals {
            let style = if *label == doc.total_label {
                Style::Bold
            } else {
                Style::Regular
            };
            totals.push(vec![
                Cell {
                    text: label.clone(),
                    style,
                    size: BODY_SIZE,
                    grey: 0.0,
                    align: Align::Right,
                    x: TOTAL_LABEL_RIGHT,
                    width: TOTAL_LABEL_WIDTH,
                },
                Cell {
                    text: value.clone(),
                    style,
                    size: BODY_SIZE,
                    grey: 0.0,
                    align: Align::Right,
                    x: RIGHT,
                    width: TOTAL_VALUE_WIDTH,
                },
            ]);
        }
        self.rows(&totals, None, false);
        self.space(24.0);

        // The footer.
        for text in self.wrap(&doc.footer, Style::Regular, BODY_SIZE, CONTENT_WIDTH) {
            self.line(&[piece(
                text,
                Style::Regular,
                BODY_SIZE,
                GREY,
                Align::Left,
                LEFT,
            )]);
        }
    }

    /// Numbers the pages (when there are several) and writes the PDF.
    fn finish(mut self, title: &str) -> Result<Vec<u8>, PdfError> {
        let count = self.pages.len();
        if count > 1 {
            let mut pages = std::mem::take(&mut self.pages);
            for (i, content) in pages.iter_mut().enumerate() {
                let text = format!("{} / {count}", i + 1);
                let x = RIGHT - self.regular.width(&text, LABEL_SIZE);
                let bytes = self.regular.encode(&text);
                content.set_fill_gray(GREY);
                content.begin_text();
                content.set_font(Name(b"F1"), LABEL_SIZE);
                content.next_line(x, BOTTOM - 24.0);
                content.show(Str(&bytes));
                content.end_text();
            }
            self.pages = pages;
        }

        let mut next = 1;
        let mut alloc = || {
            let id = Ref::new(next);
            next += 1;
            id
        };
        let catalog = alloc();
        let tree = alloc();
        let info = alloc();
        let mut font_ids = || FontIds {
            font: alloc(),
            cid_font: alloc(),
            descriptor: alloc(),
            file: alloc(),
            cid_to_gid: alloc(),
            to_unicode: alloc(),
        };
        let regular_ids = font_ids();
        let bold_ids = font_ids();
        let page_ids: Vec<(Ref, Ref)> = self.pages.iter().map(|_| (alloc(), alloc())).collect();

        let mut pdf = Pdf::new();
        pdf.catalog(catalog).pages(tree);
        pdf.document_info(info)
            .title(TextStr(title))
            .producer(TextStr("Hearth"));
        pdf.pages(tree)
            .kids(page_ids.iter().map(|&(page, _)| page))
            .count(i32::try_from(page_ids.len()).unwrap_or(i32::MAX));
        for (content, &(page_id, content_id)) in self.pages.into_iter().zip(&page_ids) {
            let mut page = pdf.page(page_id);
            page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
                .parent(tree)
                .contents(content_id);
            page.resources()
                .fonts()
                .pair(Name(b"F1"), regular_ids.font)
                .pair(Name(b"F2"), bold_ids.font);
            page.finish();
            pdf.stream(content_id, &deflate(&content.finish()))
                .filter(pdf_writer::Filter::FlateDecode);
        }
        self.regular.write(&mut pdf, regular_ids)?;
        self.bold.write(&mut pdf, bold_ids)?;
        Ok(pdf.finish())
    }
}

/// A cell of a row: its text is wrapped to `width`, and each line placed at `x`.
#[derive(Clone)]
struct Cell {
    text: String,
    style: Style,
    size: f32,
    grey: f32,
    align: Align,
    x: f32,
    width: f32,
}

fn piece(text: String, style: Style, size: f32, grey: f32, align: Align, x: f32) -> Piece {
    Piece {
        text,
        style,
        size,
        grey,
        align,
        x,
    }
}

/// A row of the lines table: the description left-aligned, the numbers right-aligned.
fn table_row(texts: &[String; 4], style: Style, size: f32, grey: f32) -> Vec<Cell> {
    let mut cells = Vec::with_capacity(4);
    let mut right = LEFT + DESCRIPTION_WIDTH;
    cells.push(Cell {
        text: texts[0].clone(),
        style,
        size,
        grey,
        align: Align::Left,
        x: LEFT,
        width: DESCRIPTION_WIDTH,
    });
    for (text, width) in texts[1..].iter().zip(NUMBER_WIDTHS) {
        right += GAP + width;
        cells.push(Cell {
            text: text.clone(),
            style,
            size,
            grey,
            align: Align::Right,
            x: right,
            width,
        });
    }
    cells
}

/// `data` compressed for a FlateDecode stream (zlib, as PDF readers expect).
fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of every page, in order.
    fn text_of(bytes: &[u8]) -> String {
        let doc = lopdf::Document::load_mem(bytes).expect("a PDF lopdf can read");
        let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
        doc.extract_text(&pages).expect("extractable text")
    }

    fn page_count(bytes: &[u8]) -> usize {
        lopdf::Document::load_mem(bytes)
            .expect("a PDF lopdf can read")
            .get_pages()
            .len()
    }

    fn bill() -> Printed {
        Printed {
            heading: "Reikningur 7".into(),
            seller: vec![
                "Hárgreiðslustofa Ýrar ehf.".into(),
                "Höfðabakki 9, 110 Reykjavík".into(),
                "Kennitala 530169-1234".into(),
            ],
            client_label: "Greiðandi".into(),
            client: vec!["Þórður Ævarsson".into(), "thordur@example.is".into()],
            facts: vec![
                ("Reikningsnúmer".into(), "7".into()),
                ("Útgefinn".into(), "7. desember 2026".into()),
                ("Gjalddagi".into(), "21. desember 2026".into()),
                ("Staða".into(), "Ógreiddur".into()),
            ],
            columns: [
                "Lýsing".into(),
                "Magn".into(),
                "Einingaverð".into(),
                "Upphæð".into(),
            ],
            lines: vec![
                [
                    "Klipping og þvottur".into(),
                    "1".into(),
                    "12.500 kr.".into(),
                    "12.500 kr.".into(),
                ],
                [
                    "Hárlitun, ráðgjöf og eftirfylgni með sérvöldum efnum frá \
                     Ítalíu sem þarf að panta sérstaklega fyrir hvern viðskiptavin"
                        .into(),
                    "2".into(),
                    "€12.50".into(),
                    "€25.00".into(),
                ],
            ],
            totals: vec![
                ("Samtals án VSK".into(), "12.500 kr.".into()),
                ("VSK 24%".into(), "0 kr.".into()),
                ("Samtals".into(), "12.500 kr.".into()),
            ],
            total_label: "Samtals".into(),
            footer: "Greiðist inn á reikning 0101-26-123456, kt. 530169-1234. \
                     Þökkum viðskiptin — ÞÐÆÖÁÍÓÚÝÉ þðæöáíóúýé."
                .into(),
        }
    }

    #[test]
    fn icelandic_text_extracts_exactly() {
        let bytes = render(&bill()).expect("a PDF");
        assert!(bytes.starts_with(b"%PDF-"));
        let text = text_of(&bytes);
        for expected in [
            "Reikningur 7",
            "Þórður Ævarsson",
            "Höfðabakki 9, 110 Reykjavík",
            "12.500 kr.",
            "€12.50",
            "Hárgreiðslustofa Ýrar ehf.",
            "Ógreiddur",
            "ÞÐÆÖÁÍÓÚÝÉ",
            "þðæöáíóúýé.",
        ] {
            assert!(text.contains(expected), "{expected:?} not in {text:?}");
        }
        assert_eq!(page_count(&bytes), 1);
    }

    #[test]
    fn many_lines_flow_onto_more_pages() {
        let mut doc = bill();
        doc.lines = (1..=500)
            .map(|i| {
                [
                    format!("Tími númer {i}"),
                    "1".into(),
                    "9.900 kr.".into(),
                    format!("{i}.900 kr."),
                ]
            })
            .collect();
        let bytes = render(&doc).expect("a PDF");
        assert!(page_count(&bytes) > 1);
        let text = text_of(&bytes);
        assert!(text.contains("Tími númer 500"));
        assert!(text.contains("500.900 kr."));
        assert!(text.contains("Samtals"));
    }

    #[test]
    fn empty_and_outlandish_input_do_not_panic() {
        let bytes = render(&Printed::default()).expect("a PDF");
        assert!(bytes.starts_with(b"%PDF-"));
        assert_eq!(page_count(&bytes), 1);

        let long = "Þ".repeat(20_000);
        let words = "orð ".repeat(5_000);
        let odd =
            "tab\there\nnew line \u{0} nul 😀 \u{10FFFF} \u{202F}narrow \u{00A0}nbsp".to_string();
        let doc = Printed {
            heading: long.clone(),
            seller: vec![String::new(), long.clone(), odd.clone()],
            client_label: words.clone(),
            client: vec![long.clone()],
            facts: vec![
                (long.clone(), words.clone()),
                (String::new(), String::new()),
            ],
            columns: [long.clone(), long.clone(), String::new(), words.clone()],
            lines: vec![
                [long.clone(), words.clone(), odd.clone(), long.clone()],
                Default::default(),
            ],
            totals: vec![(long.clone(), long.clone()), (String::new(), String::new())],
            total_label: String::new(),
            footer: words,
        };
        let bytes = render(&doc).expect("a PDF");
        assert!(page_count(&bytes) > 1);
        let text = text_of(&bytes);
        assert!(text.contains("narrow"));
        assert!(text.contains("\u{202F}narrow"));
    }

    #[test]
    fn numbers_are_right_aligned() {
        let font = FontUse::new(&REGULAR).expect("the font");
        // Measured from the font: digits are all as wide, a space narrower.
        assert!((font.width("12.500 kr.", 10.0) - font.width("99.999 kr.", 10.0)).abs() < 0.01);
        assert!(font.width("Þ", 10.0) > 0.0);
    }
}
