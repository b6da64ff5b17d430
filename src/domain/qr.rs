//! QR codes for a location's public form: the address a code points at
//! (`{base}/f/{slug}?src=qr[&spot=…]`), the short address printed under it,
//! and the code itself as SVG or PNG. Pure functions; no database, no HTTP.

use crate::error::Context;
use crate::error::{AppError, AppResult};
use qrcode::render::svg;
use qrcode::{Color, EcLevel, QrCode};

/// Light modules around the code, as the QR standard asks.
pub const QUIET_ZONE: usize = 4;

/// Longest spot name.
pub const MAX_SPOT: usize = 64;

/// Whether `spot` is a valid spot name: 1–64 ASCII letters, digits, `-` or `_`.
pub fn valid_spot(spot: &str) -> bool {
    (1..=MAX_SPOT).contains(&spot.len())
        && spot
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A spot name that is not 1–64 letters, digits, `-` or `_`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadSpot;

/// Reads an optional spot from a query: absent or blank is no spot, a valid
/// name is kept, anything else is [`BadSpot`].
pub fn parse_spot(raw: Option<&str>) -> Result<Option<String>, BadSpot> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(spot) if valid_spot(spot) => Ok(Some(spot.to_owned())),
        Some(_) => Err(BadSpot),
    }
}

fn base(base_url: &str) -> &str {
    base_url.trim_end_matches('/')
}

/// The address a location's QR code points at: the public form, marked as
/// reached by QR code, with the spot when there is one. `slug` and `spot`
/// must already be valid (they need no escaping).
pub fn target_url(base_url: &str, slug: &str, spot: Option<&str>) -> String {
    let mut url = format!("{}/f/{slug}?src=qr", base(base_url));
    if let Some(spot) = spot {
        url.push_str("&spot=");
        url.push_str(spot);
    }
    url
}

/// The address printed under the code, for people who type rather than scan:
/// the public form without `src=qr`, and without `https://`.
pub fn short_url(base_url: &str, slug: &str, spot: Option<&str>) -> String {
    let base = base(base_url);
    let base = base.strip_prefix("https://").unwrap_or(base);
    match spot {
        Some(spot) => format!("{base}/f/{slug}?spot={spot}"),
        None => format!("{base}/f/{slug}"),
    }
}

/// The file name a download gets: `tellus-<slug>[-<spot>].<ext>`.
pub fn file_name(slug: &str, spot: Option<&str>, ext: &str) -> String {
    match spot {
        Some(spot) => format!("tellus-{slug}-{spot}.{ext}"),
        None => format!("tellus-{slug}.{ext}"),
    }
}

fn encode(url: &str) -> AppResult<QrCode> {
    QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
        .internal(&format!("QR code for {} bytes", url.len()))
}

/// Pixels per module in the SVG's coordinates.
const SVG_MODULE: u32 = 10;

/// The code for `url` as a standalone SVG document: black modules on white,
/// with the quiet zone, `SVG_MODULE` units per module.
pub fn svg(url: &str) -> AppResult<String> {
    Ok(encode(url)?
        .render::<svg::Color<'_>>()
        .quiet_zone(true)
        .module_dimensions(SVG_MODULE, SVG_MODULE)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build())
}

/// The code for `url` as a 1-bit greyscale PNG, `scale` pixels per module
/// (at least 1), with a quiet zone of [`QUIET_ZONE`] modules.
pub fn png(url: &str, scale: usize) -> AppResult<Vec<u8>> {
    let code = encode(url)?;
    let scale = scale.max(1);
    let modules = code.width();
    let colors = code.to_colors();
    let side_modules = modules + 2 * QUIET_ZONE;
    let side = side_modules * scale;
    let row_bytes = side.div_ceil(8);
    // 1 = white, 0 = black; start all white and clear the dark pixels.
    let mut data = vec![0xFFu8; row_bytes * side];
    for y in 0..side {
        let my = y / scale;
        for x in 0..side {
            let mx = x / scale;
            let dark = my >= QUIET_ZONE
                && mx >= QUIET_ZONE
                && my - QUIET_ZONE < modules
                && mx - QUIET_ZONE < modules
                && colors
                    .get((my - QUIET_ZONE) * modules + (mx - QUIET_ZONE))
                    .is_some_and(|c| *c == Color::Dark);
            if dark {
                data[y * row_bytes + x / 8] &= !(0x80 >> (x % 8));
            }
        }
    }
    let side = u32::try_from(side).map_err(AppError::internal)?;
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, side, side);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::One);
        let mut writer = encoder.write_header().internal("PNG header")?;
        writer.write_image_data(&data).internal("PNG data")?;
        writer.finish().internal("PNG end")?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            target_url("https://x.example/", "shop", None),
            "https://x.example/f/shop?src=qr"
        );
        assert_eq!(
            target_url("https://x.example", "shop", Some("table-4")),
            "https://x.example/f/shop?src=qr&spot=table-4"
        );
        assert_eq!(
            short_url("https://x.example", "shop", None),
            "x.example/f/shop"
        );
        assert_eq!(
            short_url("http://x.example", "shop", Some("t1")),
            "http://x.example/f/shop?spot=t1"
        );
        assert_eq!(file_name("shop", Some("t1"), "svg"), "tellus-shop-t1.svg");
    }

    #[test]
    fn spots() {
        assert_eq!(parse_spot(None), Ok(None));
        assert_eq!(parse_spot(Some(" ")), Ok(None));
        assert_eq!(parse_spot(Some("table_4")), Ok(Some("table_4".into())));
        assert_eq!(parse_spot(Some("<x>")), Err(BadSpot));
        assert_eq!(parse_spot(Some(&"a".repeat(65))), Err(BadSpot));
        assert!(valid_spot(&"a".repeat(64)));
    }

    #[test]
    fn images() {
        let svg = svg("https://x.example/f/shop?src=qr").unwrap();
        assert!(svg.contains("<svg") && svg.contains("<path"));
        let png = png("https://x.example/f/shop?src=qr", 4).unwrap();
        assert!(png.starts_with(&[0x89, b'P', b'N', b'G']));
    }
}
