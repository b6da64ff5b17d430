//! Staff accounts from the outside: the id of an account, links read from
//! queued mail (invitations, password resets), setting a password from such
//! a link, and two-step login (an independent RFC 6238 code, turning it on).

use data_encoding::BASE32_NOPAD;
use hmac::{Hmac, Mac};

use super::{link_in, Client, Response, TestApp};

/// The password set from invitation and reset links.
pub const NEW_PASSWORD: &str = "a much longer new secret";

/// The id of an account.
pub fn user_id(app: &TestApp, email: &str) -> i64 {
    let email = email.to_owned();
    app.read(move |c| tellus::domain::user::find_by_email(c, &email))
        .expect("account exists")
        .id
}

/// The text body of the newest queued mail of a kind to an address.
pub fn queued_text(app: &TestApp, kind: &str, to: &str) -> Option<String> {
    #[derive(diesel::QueryableByName)]
    struct Body {
        #[diesel(sql_type = diesel::sql_types::Text)]
        body_text: String,
    }
    let sql = format!(
        "SELECT body_text FROM outbox WHERE kind = '{kind}' AND recipient = '{to}' ORDER BY id DESC"
    );
    app.read(move |c| {
        use diesel::RunQueryDsl;
        Ok(diesel::sql_query(sql).load::<Body>(c)?)
    })
    .into_iter()
    .next()
    .map(|b| b.body_text)
}

/// The path of the first link whose path starts with `path` in a mail queued
/// by a server whose base address is a placeholder.
pub fn path_in(text: &str, path: &str) -> String {
    let link = link_in(text, path);
    link[link.find(path).unwrap_or(0)..].to_owned()
}

/// The path of the first link starting with `path` in the newest queued mail
/// of a kind to an address.
pub fn queued_link(app: &TestApp, kind: &str, to: &str, path: &str) -> String {
    let text = queued_text(app, kind, to).unwrap_or_else(|| panic!("a {kind} mail to {to}"));
    path_in(&text, path)
}

/// Fills in an invitation or reset page with [`NEW_PASSWORD`].
pub fn set_password(client: &Client, link: &str, name: Option<&str>) -> Response {
    let page = client.get(link);
    assert_eq!(page.status, 200, "{link}: {}", page.body);
    let token = page.hidden("token").expect("form token");
    let mut fields = vec![
        ("token", token.as_str()),
        ("password", NEW_PASSWORD),
        ("password2", NEW_PASSWORD),
    ];
    if let Some(name) = name {
        fields.push(("name", name));
    }
    client.post_form(link, &fields)
}

/// An RFC 6238 code (HMAC-SHA-1, 30 s, 6 digits), computed here independently
/// of the server's implementation.
pub fn totp(secret: &str, unix: i64) -> String {
    let key = BASE32_NOPAD
        .decode(secret.as_bytes())
        .expect("base32 secret");
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(&key).expect("hmac key");
    mac.update(&(unix / 30).to_be_bytes());
    let h = mac.finalize().into_bytes();
    let o = (h[19] & 0x0f) as usize;
    let n = u32::from_be_bytes([h[o] & 0x7f, h[o + 1], h[o + 2], h[o + 3]]) % 1_000_000;
    format!("{n:06}")
}

/// The current code for `secret` on the server's clock.
pub fn code_now(app: &TestApp, secret: &str) -> String {
    totp(secret, app.clock.now().and_utc().timestamp())
}

/// The two-step set-up page as served: the secret it shows, and the signed
/// secret and CSRF token its form sends back.
pub struct TotpSetup {
    pub page: Response,
    pub secret: String,
    pub signed: String,
    pub csrf: String,
}

impl TotpSetup {
    /// Opens the set-up page of a logged-in client.
    pub fn open(client: &Client) -> TotpSetup {
        let page = client.get("/staff/account/totp");
        assert_eq!(page.status, 200, "set-up page: {}", page.body);
        let marker = "class=\"totp-secret\">";
        let start = page.body.find(marker).expect("secret shown") + marker.len();
        let end = page.body[start..].find('<').expect("end of secret") + start;
        let secret = page.body[start..end].to_owned();
        let signed = page.hidden("secret").expect("signed secret");
        let csrf = page.hidden("csrf").expect("csrf");
        TotpSetup {
            page,
            secret,
            signed,
            csrf,
        }
    }

    /// Sends this page's form with `code`.
    pub fn confirm(&self, client: &Client, code: &str) -> Response {
        client.post_form(
            "/staff/account/totp",
            &[
                ("csrf", &self.csrf),
                ("secret", &self.signed),
                ("code", code),
            ],
        )
    }
}

/// Turns two-step login on for a logged-in client; returns the secret.
pub fn enrol(app: &TestApp, client: &Client) -> String {
    let setup = TotpSetup::open(client);
    let res = setup.confirm(client, &code_now(app, &setup.secret));
    assert_eq!(res.status, 303, "confirm: {}", res.body);
    setup.secret
}
