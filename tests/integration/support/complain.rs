//! A customer at the public form: `app.complain(1).message("..")
//! .contact("Noor", "noor@example.net").lang("en").submit()` taps face 1,
//! fills in the form of a location like a person would and sends it; and the
//! page helpers that read what came back (the reference, the private link,
//! what was stored).

use super::html::tags;
use super::{Client, Response, TestApp};

/// The letters a reference is made of (`READABLE` in src/tokens.rs).
const READABLE: &str = "346789ABCDEFGHJKMNPQRTUVWXY";

/// A submission being filled in at the public form; nothing is sent until
/// [`Complaint::send`] or [`Complaint::submit`].
#[must_use = "a complaint is only sent by send() or submit()"]
pub struct Complaint<'a> {
    app: &'a TestApp,
    client: Option<&'a Client>,
    slug: String,
    fields: Vec<(&'static str, String)>,
}

/// An accepted submission: the thank-you page and its reference.
#[derive(Debug)]
pub struct Submitted {
    /// The thank-you page.
    pub page: Response,
    /// The reference shown on it.
    pub reference: String,
    /// The ticket the submission opened, if it opened one.
    pub ticket: Option<i64>,
}

impl Submitted {
    /// The id of the ticket the submission opened.
    pub fn ticket_id(&self) -> i64 {
        self.ticket.expect("a ticket for the submission")
    }

    /// The staff page of that ticket.
    pub fn ticket_path(&self) -> String {
        format!("/staff/tickets/{}", self.ticket_id())
    }

    /// The customer's private link on the thank-you page, with its query.
    pub fn private_link(&self) -> String {
        self.page
            .link("/t/")
            .expect("private link on the thank-you page")
    }
}

impl<'a> Complaint<'a> {
    fn set(mut self, name: &'static str, value: impl ToString) -> Complaint<'a> {
        self.fields.push((name, value.to_string()));
        self
    }

    /// What the customer writes.
    pub fn message(self, message: &str) -> Complaint<'a> {
        self.set("message", message)
    }

    /// The customer's name.
    pub fn name(self, name: &str) -> Complaint<'a> {
        self.set("name", name)
    }

    /// The customer's address (without consent unless [`Complaint::consent`]).
    pub fn email(self, email: &str) -> Complaint<'a> {
        self.set("email", email)
    }

    /// Ticks "you may mail me".
    pub fn consent(self) -> Complaint<'a> {
        self.set("consent", "yes")
    }

    /// A name, an address and consent to be mailed there.
    pub fn contact(self, name: &str, email: &str) -> Complaint<'a> {
        self.name(name).email(email).consent()
    }

    /// The language the form was filled in (`nl` or `en`).
    pub fn lang(self, lang: &str) -> Complaint<'a> {
        self.set("lang", lang)
    }

    /// The category picked.
    pub fn category(self, category: &str) -> Complaint<'a> {
        self.set("category", category)
    }

    /// The spot in the shop from a QR code (`table-4`).
    pub fn spot(self, spot: &str) -> Complaint<'a> {
        self.set("spot", spot)
    }

    /// Any other field of the form.
    pub fn field(self, name: &'static str, value: &str) -> Complaint<'a> {
        self.set(name, value)
    }

    /// At the location `slug` instead of `shop` (a query may follow: `shop?spot=table-4`).
    pub fn at(mut self, slug: &str) -> Complaint<'a> {
        self.slug = slug.to_owned();
        self
    }

    /// From this client (its cookies) instead of a fresh one.
    pub fn by(mut self, client: &'a Client) -> Complaint<'a> {
        self.client = Some(client);
        self
    }

    /// Sends the form; returns the answer, whatever its status.
    pub fn send(self) -> Response {
        let fields: Vec<(&str, &str)> = self
            .fields
            .iter()
            .map(|(name, value)| (*name, value.as_str()))
            .collect();
        match self.client {
            Some(client) => self.app.submit(client, &self.slug, &fields),
            None => self.app.submit(&self.app.client(), &self.slug, &fields),
        }
    }

    /// Sends the form and expects the thank-you page with a reference.
    pub fn submit(self) -> Submitted {
        let app = self.app;
        let page = self.send();
        assert_eq!(page.status, 200, "submission accepted: {}", page.body);
        let reference = page.reference().expect("a reference on the thank-you page");
        let lookup = reference.clone();
        let ticket = app.read(move |c| tellus::domain::ticket::id_for_reference(c, &lookup));
        Submitted {
            page,
            reference,
            ticket,
        }
    }
}

impl TestApp {
    /// Starts filling in the public form of `shop` with the tapped `face`,
    /// 1 (unhappy) to 5.
    pub fn complain(&self, face: u8) -> Complaint<'_> {
        Complaint {
            app: self,
            client: None,
            slug: "shop".to_owned(),
            fields: vec![("face", face.to_string())],
        }
    }

    /// Fills in the public form of `slug` like a person would (the clock moves
    /// past the minimum fill-in time) and submits `fields` with it.
    pub fn submit(&self, client: &Client, slug: &str, fields: &[(&str, &str)]) -> Response {
        let form = client.get(&format!("/f/{slug}"));
        assert_eq!(form.status, 200, "form page");
        let token = form.hidden("token").expect("form token");
        let key = form.hidden("key").expect("form key");
        self.advance(3);
        let mut all: Vec<(&str, &str)> = vec![("token", &token), ("key", &key)];
        all.extend_from_slice(fields);
        client.post_form(&format!("/f/{slug}"), &all)
    }

    /// Opens `path` like a browser, waits like a person, and posts its form
    /// with every hidden field it carries plus `fields`.
    pub fn fill_in(&self, client: &Client, path: &str, fields: &[(&str, &str)]) -> Response {
        let page = client.get(path);
        assert_eq!(page.status, 200, "form page {path}");
        let action = tags(&page.body, "form")
            .into_iter()
            .find_map(|f| f.get("action").filter(|a| a.starts_with("/f/")).cloned())
            .expect("form action");
        let hidden: Vec<(String, String)> = tags(&page.body, "input")
            .into_iter()
            .filter(|a| a.get("type").map(String::as_str) == Some("hidden"))
            .filter_map(|a| Some((a.get("name")?.clone(), a.get("value")?.clone())))
            .filter(|(name, _)| !fields.iter().any(|(f, _)| f == name))
            .collect();
        self.advance(3);
        let mut all: Vec<(&str, &str)> = hidden
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        all.extend_from_slice(fields);
        client.post_form(&action, &all)
    }

    /// The id of the ticket behind a reference.
    pub fn ticket_id(&self, reference: &str) -> i64 {
        let reference = reference.to_owned();
        self.read(move |c| tellus::domain::ticket::id_for_reference(c, &reference))
            .expect("a ticket for the reference")
    }

    /// Number of feedback rows.
    pub fn feedback_rows(&self) -> i64 {
        self.count("SELECT COUNT(*) AS n FROM feedback")
    }

    /// Number of ticket rows.
    pub fn ticket_rows(&self) -> i64 {
        self.count("SELECT COUNT(*) AS n FROM tickets")
    }
}

/// Whether `r` looks like `TL-XXXX-XXXX` with readable letters.
pub fn is_reference(r: &str) -> bool {
    let readable = |s: &str| s.len() == 4 && s.chars().all(|c| READABLE.contains(c));
    r.len() == 12
        && r.starts_with("TL-")
        && r.as_bytes()[7] == b'-'
        && readable(&r[3..7])
        && readable(&r[8..])
}

/// `/t/{token}` from the private link on a thank-you page (without its query).
pub fn private_path(thanks: &Response) -> String {
    let href = thanks
        .link("/t/")
        .expect("private link on the thank-you page");
    href.split('?').next().unwrap_or_default().to_owned()
}

impl Client {
    /// Answers from a customer's private page already opened (`page`): posts
    /// `body` in `lang` with the page's reply token to `path`, the page's
    /// address without its query; returns the answer, whatever its status.
    pub fn reply_as_customer(
        &self,
        page: &Response,
        path: &str,
        body: &str,
        lang: &str,
    ) -> Response {
        let token = page.hidden("token").expect("reply form token");
        self.post_form(path, &[("token", &token), ("body", body), ("lang", lang)])
    }
}
