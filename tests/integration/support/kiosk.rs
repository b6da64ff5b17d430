//! A shop's tablet in kiosk mode: the owner makes a pairing code, the tablet
//! pairs with it, and submissions go to the kiosk endpoint as the kiosk page
//! sends them.

use super::{Client, Response, TestApp};

impl TestApp {
    /// The owner makes a pairing code named `name` for `shop`; returns it as shown.
    pub fn pairing_code(&self, owner: &Client, name: &str) -> String {
        let csrf = owner.csrf("/staff/kiosks");
        let location_id = self
            .count("SELECT id AS n FROM locations WHERE slug = 'shop'")
            .to_string();
        let res = owner.post_form(
            "/staff/kiosks/pairing",
            &[
                ("csrf", &csrf),
                ("location_id", &location_id),
                ("name", name),
            ],
        );
        assert_eq!(res.status, 200, "{}", res.body);
        let marker = "id=\"pairing-code\">";
        let start = res.body.find(marker).expect("code shown") + marker.len();
        res.body[start..start + 9].to_owned()
    }

    /// A new tablet paired by `owner` for `shop`, speaking `lang`.
    pub fn paired_tablet(&self, owner: &Client, lang: &str) -> Client {
        let tablet = self.client();
        let code = self.pairing_code(owner, "Tablet");
        assert_eq!(tablet.pair_kiosk(&code, lang), 303, "the tablet pairs");
        tablet
    }
}

impl Client {
    /// Pairs this client as a kiosk with `code`; returns the answer's status.
    pub fn pair_kiosk(&self, code: &str, lang: &str) -> u16 {
        let page = self.get("/kiosk/pair");
        let token = page.hidden("token").expect("pair token");
        self.post_form(
            "/kiosk/pair",
            &[("token", &token), ("code", code), ("lang", lang)],
        )
        .status
    }

    /// Posts `fields` to the kiosk endpoint the way the kiosk page does.
    pub fn kiosk_post(&self, fields: &[(&str, &str)]) -> Response {
        let body = serde_urlencoded::to_string(fields).expect("form");
        self.post_raw(
            "/kiosk/submit",
            "application/x-www-form-urlencoded",
            body.as_bytes(),
            &[("X-Tellus-Kiosk", "1")],
        )
    }
}
