//! Money as the shop reads and types it: amounts in whole cents with an ISO
//! currency, parsed from what a person typed ([`parse_amount`]), written back
//! into a form ([`amount_input`]) and shown in the reader's language
//! ([`format_money`], [`value_text`]). Gifts, budgets and the dashboard all
//! use these, so an amount reads the same on every page and in every mail.

use crate::i18n::Lang;

/// Largest amount of money anywhere here: € 100,000.00.
pub const MAX_CENTS: i64 = 10_000_000;

/// Reads an amount typed by a person (`12`, `12.5`, `12,50`, `€ 12,50`) as
/// cents; None for anything else, negative, or above [`MAX_CENTS`].
pub fn parse_amount(text: &str) -> Option<i64> {
    let text = text.trim().trim_start_matches('€').trim();
    if text.is_empty() || text.len() > 12 {
        return None;
    }
    let (whole, fraction) = match text.find(['.', ',']) {
        Some(at) => (&text[..at], &text[at + 1..]),
        None => (text, ""),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > 2 {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let cents = match fraction.len() {
        0 => 0,
        1 => fraction.parse::<i64>().ok()? * 10,
        _ => fraction.parse::<i64>().ok()?,
    };
    let total = whole.checked_mul(100)?.checked_add(cents)?;
    (total <= MAX_CENTS).then_some(total)
}

/// An amount as typed back into a form: `12.50`.
pub fn amount_input(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

fn currency_symbol(currency: &str) -> Option<&'static str> {
    match currency {
        "EUR" => Some("€"),
        "USD" => Some("$"),
        "GBP" => Some("£"),
        _ => None,
    }
}

/// Cents with their currency in the reader's language (as Belgium writes
/// them): nl `€ 1.234,50`, en `€1,234.50`, fr `1 234,50 €` (narrow no-break
/// spaces), de `1.234,50 €`; a currency without a symbol reads `CHF 12.50`.
pub fn format_money(cents: i64, currency: &str, lang: Lang) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    let (thousands, decimal) = match lang {
        Lang::Nl | Lang::De => ('.', ','),
        Lang::En => (',', '.'),
        Lang::Fr => ('\u{202f}', ','),
    };
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(thousands);
        }
        grouped.push(c);
    }
    let number = format!("{sign}{grouped}{decimal}{:02}", cents % 100);
    match (currency_symbol(currency), lang) {
        (Some(symbol), Lang::Nl) => format!("{symbol} {number}"),
        (Some(symbol), Lang::En) => format!("{symbol}{number}"),
        (Some(symbol), Lang::Fr | Lang::De) => format!("{number}\u{a0}{symbol}"),
        (None, _) => format!("{currency} {number}"),
    }
}

/// A gift's value: money in its currency, or a percentage (`15%`).
pub fn value_text(
    value_cents: Option<i64>,
    percent: Option<i16>,
    currency: &str,
    lang: Lang,
) -> String {
    match (value_cents, percent) {
        (Some(cents), _) => format_money(cents, currency, lang),
        (None, Some(p)) => format!("{p}%"),
        (None, None) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_parse_as_people_type_them() {
        assert_eq!(parse_amount("12"), Some(1200));
        assert_eq!(parse_amount("12,5"), Some(1250));
        assert_eq!(parse_amount(" € 12.50 "), Some(1250));
        assert_eq!(parse_amount("0"), Some(0));
        for bad in [
            "", "-1", "1.234,50", "abc", "12.345", "1e5", "100001", "<b>",
        ] {
            assert_eq!(parse_amount(bad), None, "{bad}");
        }
    }

    #[test]
    fn money_reads_right_in_each_language() {
        assert_eq!(format_money(1250, "EUR", Lang::Nl), "€ 12,50");
        assert_eq!(format_money(1250, "EUR", Lang::En), "€12.50");
        assert_eq!(format_money(123_450, "EUR", Lang::Nl), "€ 1.234,50");
        assert_eq!(format_money(123_450, "EUR", Lang::En), "€1,234.50");
        assert_eq!(
            format_money(123_450, "EUR", Lang::Fr),
            "1\u{202f}234,50\u{a0}€"
        );
        assert_eq!(format_money(123_450, "EUR", Lang::De), "1.234,50\u{a0}€");
        assert_eq!(format_money(5, "CHF", Lang::En), "CHF 0.05");
        assert_eq!(value_text(None, Some(15), "EUR", Lang::Nl), "15%");
    }
}
