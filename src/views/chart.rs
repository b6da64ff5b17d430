//! Server-rendered SVG charts (no chart script): columns over days and
//! labelled horizontal bars. Each is an `img` to assistive technology with a
//! `<title>`; the page puts the same numbers in a table beside it. Only SVG
//! presentation attributes are used (the CSP allows no inline styles), and
//! every element is closed explicitly, as HTML's parser wants inside `<svg>`.

use maud::{html, Markup};

/// Bar colour: dark blue, 8:1 against white.
pub const BLUE: &str = "#1d4e89";
/// Axis and grid lines.
const GRID: &str = "#8a8f98";
/// Label text.
const INK: &str = "#1f2328";

/// One bar: its label and value, and its colour.
pub struct Bar {
    /// What the bar stands for.
    pub label: String,
    /// Its height or length.
    pub value: i64,
    /// Fill colour (contrast ≥ 3:1 against white).
    pub colour: &'static str,
}

/// The smallest "round" number (1, 2 or 5 times a power of ten) at or above `n`.
pub fn nice_max(n: i64) -> i64 {
    let mut step = 1;
    loop {
        for m in [1, 2, 5] {
            if m * step >= n.max(1) {
                return m * step;
            }
        }
        step *= 10;
    }
}

/// Columns, one per bar (e.g. per day), with a y axis at 0, half and the
/// top, and every `label_every`-th label under the x axis.
pub fn columns(id: &str, title: &str, bars: &[Bar], label_every: usize) -> Markup {
    let (width, height, left, bottom, top) = (720.0_f64, 260.0_f64, 48.0, 40.0, 12.0);
    let plot_w = width - left - 8.0;
    let plot_h = height - bottom - top;
    let max = nice_max(bars.iter().map(|b| b.value).max().unwrap_or(0));
    let slot = plot_w / bars.len().max(1) as f64;
    let bar_w = (slot * 0.8).max(1.0);
    let y = |v: i64| top + plot_h - plot_h * v as f64 / max as f64;
    let every = label_every.max(1);
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {width} {height}"))
            role="img" aria-labelledby=(id) {
            title id=(id) { (title) }
            @for tick in [0, max / 2, max] {
                line x1=(left) x2=(width - 8.0) y1=(fmt(y(tick))) y2=(fmt(y(tick)))
                    stroke=(GRID) stroke-width="0.5" {}
                text x=(left - 6.0) y=(fmt(y(tick) + 4.0)) font-size="12" text-anchor="end" fill=(INK) { (tick) }
            }
            @for (i, bar) in bars.iter().enumerate() {
                @let x = left + slot * i as f64 + (slot - bar_w) / 2.0;
                rect x=(fmt(x)) y=(fmt(y(bar.value))) width=(fmt(bar_w))
                    height=(fmt(top + plot_h - y(bar.value))) fill=(bar.colour) {
                    title { (bar.label) ": " (bar.value) }
                }
                @if i % every == 0 {
                    text x=(fmt(x + bar_w / 2.0)) y=(fmt(height - bottom + 16.0)) font-size="11"
                        text-anchor="middle" fill=(INK) { (bar.label) }
                }
            }
            line x1=(left) x2=(width - 8.0) y1=(fmt(top + plot_h)) y2=(fmt(top + plot_h))
                stroke=(INK) stroke-width="1" {}
        }
    }
}

/// Horizontal bars with their label on the left and value on the right.
pub fn rows(id: &str, title: &str, bars: &[Bar]) -> Markup {
    let (width, row_h, label_w) = (720.0_f64, 28.0_f64, 200.0_f64);
    let height = row_h * bars.len().max(1) as f64 + 8.0;
    let plot_w = width - label_w - 70.0;
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    html! {
        svg.chart xmlns="http://www.w3.org/2000/svg" viewBox=(format!("0 0 {width} {height}"))
            role="img" aria-labelledby=(id) {
            title id=(id) { (title) }
            @for (i, bar) in bars.iter().enumerate() {
                @let y = 4.0 + row_h * i as f64;
                @let length = plot_w * bar.value as f64 / max as f64;
                text x=(label_w - 8.0) y=(fmt(y + 18.0)) font-size="13" text-anchor="end" fill=(INK) {
                    (shorten(&bar.label, 28))
                }
                rect x=(label_w) y=(fmt(y + 4.0)) width=(fmt(length.max(1.0))) height=(fmt(row_h - 8.0))
                    fill=(bar.colour) {
                    title { (bar.label) ": " (bar.value) }
                }
                text x=(fmt(label_w + length + 6.0)) y=(fmt(y + 18.0)) font-size="13" fill=(INK) { (bar.value) }
            }
        }
    }
}

/// A coordinate with one decimal.
fn fmt(v: f64) -> String {
    format!("{v:.1}")
}

/// A label cut to `max` characters with an ellipsis (the table has it whole).
fn shorten(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_owned()
    } else {
        let cut: String = label.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_tops_are_round() {
        assert_eq!(nice_max(0), 1);
        assert_eq!(nice_max(3), 5);
        assert_eq!(nice_max(17), 20);
        assert_eq!(nice_max(51), 100);
        assert_eq!(nice_max(1370), 2000);
    }

    #[test]
    fn labels_are_escaped_and_elements_closed() {
        let svg = rows(
            "c",
            "Categories",
            &[Bar {
                label: "<script>x</script>".into(),
                value: 3,
                colour: BLUE,
            }],
        )
        .into_string();
        assert!(svg.contains("&lt;script&gt;"), "{svg}");
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("</rect>") && svg.contains("role=\"img\""));
    }
}
