//! The business profile customers see: the business name, its logo and an
//! accent colour. One row (id 1) in `business_profile`; until an owner saves
//! it, defaults stand in. The logo is kept as base64 text with its type, which
//! is decided from the file's first bytes, never from its name or the type
//! the browser declared.

use super::FieldError;
use crate::db::schema::business_profile;
use crate::db::DbConnection;
use crate::error::{AppResult, Context};
use chrono::NaiveDateTime;
use data_encoding::BASE64;
use diesel::prelude::*;

/// Largest logo accepted, in bytes (512 KiB).
pub const MAX_LOGO_BYTES: usize = 512 * 1024;

/// The accent colour until an owner picks one (as in the migration).
pub const DEFAULT_ACCENT: &str = "#1f5f8b";

/// The business as customers see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessProfile {
    /// Business name; empty until set.
    pub name: String,
    /// `#rrggbb`, lowercase.
    pub accent_colour: String,
    /// The logo's content type and bytes.
    pub logo: Option<(String, Vec<u8>)>,
}

impl Default for BusinessProfile {
    fn default() -> BusinessProfile {
        BusinessProfile {
            name: String::new(),
            accent_colour: DEFAULT_ACCENT.to_owned(),
            logo: None,
        }
    }
}

/// What public pages show of the business: its name and, when there is a
/// logo, a version for the logo's address (so a new logo shows at once).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Brand {
    /// Business name; empty until set.
    pub name: String,
    /// Changes whenever the logo does; `None` without a logo.
    pub logo_version: Option<String>,
    /// `#rrggbb`, checked.
    pub accent_colour: String,
}

impl Brand {
    /// The stylesheet that gives pages the business's colour: the accent, and
    /// dark or light text on it, whichever reads better.
    pub fn stylesheet(&self) -> String {
        let accent =
            check_accent(&self.accent_colour).unwrap_or_else(|_| DEFAULT_ACCENT.to_owned());
        let channel = |i: usize| {
            let v = f64::from(u8::from_str_radix(&accent[i..i + 2], 16).unwrap_or(0)) / 255.0;
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        let luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
        // WCAG contrast against white vs against our dark ink (#1d2a33, L ≈ 0.022).
        let ink = if (1.05 / (luminance + 0.05)) >= ((luminance + 0.05) / 0.072) {
            "#ffffff"
        } else {
            "#1d2a33"
        };
        format!(":root {{ --accent: {accent}; --accent-ink: {ink}; }}\n")
    }
}

impl BusinessProfile {
    /// The part public pages need.
    pub fn brand(&self) -> Brand {
        Brand {
            name: self.name.clone(),
            accent_colour: self.accent_colour.clone(),
            logo_version: self
                .logo
                .as_ref()
                .map(|(_, bytes)| crate::tokens::digest_hex(bytes)[..12].to_owned()),
        }
    }
}

/// What to do with the logo on save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogoChange {
    /// Leave it as it is.
    Keep,
    /// Remove it.
    Remove,
    /// Replace it with an uploaded file (checked on save).
    Upload(Vec<u8>),
}

/// The image type of `bytes` by their magic numbers: PNG, JPEG or WebP (a
/// logo; the same recognition as mail attachments, without GIF and PDF).
pub fn sniff_image_type(bytes: &[u8]) -> Option<&'static str> {
    super::attachment::sniff(bytes)
        .map(|kind| kind.content_type)
        .filter(|t| matches!(*t, "image/png" | "image/jpeg" | "image/webp"))
}

/// Checks an uploaded logo: at most [`MAX_LOGO_BYTES`], and really a PNG,
/// JPEG or WebP image by its content. Returns its type.
pub fn check_logo(bytes: &[u8]) -> Result<&'static str, FieldError> {
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(FieldError::new("logo", "owner-error-logo-size").arg("max", "512 KiB"));
    }
    sniff_image_type(bytes).ok_or_else(|| FieldError::new("logo", "owner-error-logo-type"))
}

/// Normalises an accent colour: `#rrggbb` only (lowercased).
pub fn check_accent(colour: &str) -> Result<String, FieldError> {
    let colour = colour.trim();
    let ok = colour.len() == 7
        && colour.starts_with('#')
        && colour[1..].bytes().all(|b| b.is_ascii_hexdigit());
    if ok {
        Ok(colour.to_ascii_lowercase())
    } else {
        Err(FieldError::new("accent_colour", "owner-error-accent"))
    }
}

type Row = (String, String, Option<String>, Option<String>);

fn load_row(conn: &mut DbConnection) -> AppResult<Option<Row>> {
    Ok(business_profile::table
        .find(1_i64)
        .select((
            business_profile::name,
            business_profile::accent_colour,
            business_profile::logo_type,
            business_profile::logo_base64,
        ))
        .first(conn)
        .optional()?)
}

/// The profile, or the defaults while none is saved.
pub fn get(conn: &mut DbConnection) -> AppResult<BusinessProfile> {
    let Some((name, accent_colour, logo_type, logo_base64)) = load_row(conn)? else {
        return Ok(BusinessProfile::default());
    };
    let logo = match (logo_type, logo_base64) {
        (Some(mime), Some(data)) => Some((
            mime,
            BASE64.decode(data.as_bytes()).internal("stored logo")?,
        )),
        _ => None,
    };
    Ok(BusinessProfile {
        name,
        accent_colour,
        logo,
    })
}

/// Saves the name, the accent colour and the logo change after checking them
/// all; nothing is stored when any is wrong. Inserts row 1 the first time
/// (select, then insert or update: no `ON CONFLICT` across backends; the
/// writer runs this in its transaction).
pub fn save(
    conn: &mut DbConnection,
    name: &str,
    accent_colour: &str,
    logo: &LogoChange,
    now: NaiveDateTime,
) -> AppResult<Result<(), Vec<FieldError>>> {
    let mut errors = Vec::new();
    let name = name.trim();
    if name.chars().count() > 100 {
        errors.push(FieldError::new("name", "owner-error-profile-name").arg("max", 100));
    }
    let accent = check_accent(accent_colour).map_err(|e| errors.push(e));
    let upload = match logo {
        LogoChange::Upload(bytes) => check_logo(bytes)
            .map(|mime| Some((mime, BASE64.encode(bytes))))
            .map_err(|e| errors.push(e)),
        _ => Ok(None),
    };
    let (Ok(accent), Ok(upload)) = (accent, upload) else {
        return Ok(Err(errors));
    };
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let existing = load_row(conn)?;
    let (logo_type, logo_base64) = match (logo, upload) {
        (_, Some((mime, data))) => (Some(mime.to_owned()), Some(data)),
        (LogoChange::Remove, None) => (None, None),
        _ => existing
            .as_ref()
            .map(|(_, _, t, d)| (t.clone(), d.clone()))
            .unwrap_or((None, None)),
    };
    let columns = (
        business_profile::name.eq(name),
        business_profile::accent_colour.eq(&accent),
        business_profile::logo_type.eq(&logo_type),
        business_profile::logo_base64.eq(&logo_base64),
        business_profile::updated_at.eq(now),
    );
    if existing.is_some() {
        diesel::update(business_profile::table.find(1_i64))
            .set(columns)
            .execute(conn)?;
    } else {
        diesel::insert_into(business_profile::table)
            .values((business_profile::id.eq(1_i64), columns))
            .execute(conn)?;
    }
    Ok(Ok(()))
}

#[cfg(test)]
mod brand_tests {
    use super::*;

    #[test]
    fn accent_stylesheet_picks_readable_ink() {
        let dark = Brand {
            accent_colour: "#1f5f8b".into(),
            ..Brand::default()
        };
        assert_eq!(
            dark.stylesheet(),
            ":root { --accent: #1f5f8b; --accent-ink: #ffffff; }\n"
        );
        let light = Brand {
            accent_colour: "#ffd400".into(),
            ..Brand::default()
        };
        assert!(light.stylesheet().contains("--accent-ink: #1d2a33"));
        let junk = Brand {
            accent_colour: "red; } body { display: none".into(),
            ..Brand::default()
        };
        assert!(
            junk.stylesheet().contains("--accent: #1f5f8b;"),
            "only a checked colour goes out"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_types_by_content() {
        let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0];
        assert_eq!(sniff_image_type(&png), Some("image/png"));
        assert_eq!(
            sniff_image_type(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some("image/jpeg")
        );
        assert_eq!(
            sniff_image_type(b"RIFF\x10\0\0\0WEBPVP8 "),
            Some("image/webp")
        );
        assert_eq!(sniff_image_type(b"RIFF\x10\0\0\0WAVE"), None);
        assert_eq!(sniff_image_type(b"<html><script>x</script>"), None);
        assert_eq!(sniff_image_type(b"GIF89a"), None);
        assert_eq!(sniff_image_type(&[]), None);
    }

    #[test]
    fn logo_size_and_type() {
        let mut big = vec![0xFF, 0xD8, 0xFF];
        big.resize(MAX_LOGO_BYTES + 1, 0);
        assert_eq!(check_logo(&big).unwrap_err().key, "owner-error-logo-size");
        big.truncate(MAX_LOGO_BYTES);
        assert_eq!(check_logo(&big), Ok("image/jpeg"));
        assert_eq!(
            check_logo(b"hello").unwrap_err().key,
            "owner-error-logo-type"
        );
    }

    #[test]
    fn accent_colours() {
        assert_eq!(check_accent(" #1F5F8B ").unwrap(), "#1f5f8b");
        assert!(check_accent("#fff").is_err());
        assert!(check_accent("red").is_err());
        assert!(check_accent("#12345g").is_err());
        assert!(check_accent("#123456;x").is_err());
    }
}

/// What mail needs of the business: its name, and a version of its logo for
/// the logo's address (the moment the profile last changed), without loading
/// the logo itself.
pub fn for_mail(conn: &mut DbConnection) -> AppResult<(String, Option<String>)> {
    let row: Option<(String, bool, NaiveDateTime)> = business_profile::table
        .select((
            business_profile::name,
            business_profile::logo_type.is_not_null(),
            business_profile::updated_at,
        ))
        .first(conn)
        .optional()?;
    Ok(match row {
        Some((name, true, updated)) => {
            (name, Some(updated.and_utc().timestamp_micros().to_string()))
        }
        Some((name, false, _)) => (name, None),
        None => (String::new(), None),
    })
}
