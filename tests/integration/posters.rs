//! QR codes and posters: owners download the code as SVG and PNG and print
//! A4/A5 posters; both images really decode (rqrr) to the public form with
//! `src=qr` and the spot; scanning and submitting stores the spot and the QR
//! channel; everyone but an owner is told the pages do not exist.

use crate::both;
use crate::support::{html_unescape, TestApp};

/// Decodes the one QR code in a greyscale image.
fn decode_grey(width: usize, height: usize, pixels: &[u8]) -> String {
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| pixels[y * width + x]);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "exactly one QR code");
    grids[0].decode().expect("QR code decodes").1
}

/// Decodes a PNG (any bit depth, greyscale or colour) with the `png` crate.
fn decode_png(bytes: &[u8]) -> String {
    assert!(
        bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]),
        "PNG signature"
    );
    let mut decoder = png::Decoder::new(bytes);
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().expect("PNG header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("PNG frame");
    let channels = info.color_type.samples();
    let (w, h) = (info.width as usize, info.height as usize);
    let grey: Vec<u8> = (0..w * h)
        .map(|i| {
            buf[i * channels..i * channels + channels.min(3)]
                .iter()
                .copied()
                .min()
                .unwrap_or(255)
        })
        .collect();
    decode_grey(w, h, &grey)
}

/// The numbers in `text` after `attr="`, e.g. a viewBox.
fn attr<'a>(svg: &'a str, name: &str) -> &'a str {
    let marker = format!(" {name}=\"");
    let start = svg.find(&marker).expect(name) + marker.len();
    let end = svg[start..].find('"').expect("closing quote") + start;
    &svg[start..end]
}

/// Rasterises the qrcode crate's SVG — a white `<rect>` and one black
/// `<path>` of `M x y h w v h H x V y` rectangles, one unit per pixel — and
/// decodes it.
pub(crate) fn decode_svg(svg: &str) -> String {
    let view: Vec<usize> = attr(svg, "viewBox")
        .split_whitespace()
        .map(|n| n.parse().expect("viewBox number"))
        .collect();
    let (w, h) = (view[2], view[3]);
    assert!(svg.contains("fill=\"#ffffff\""), "white background");
    let d = attr(svg, "d");
    let mut grey = vec![255u8; w * h];
    // Tokens: a command letter followed by numbers.
    let mut tokens = Vec::new();
    let mut number = String::new();
    for c in d.chars() {
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            continue;
        }
        if !number.is_empty() {
            tokens.push(Token::Num(number.parse().expect("number")));
            number.clear();
        }
        if c.is_ascii_alphabetic() {
            tokens.push(Token::Cmd(c));
        }
    }
    if !number.is_empty() {
        tokens.push(Token::Num(number.parse().expect("number")));
    }
    let num = |i: usize| match tokens.get(i) {
        Some(Token::Num(n)) => *n,
        other => panic!("expected a number at {i}, got {other:?}"),
    };
    let mut i = 0;
    let mut rects = 0;
    while i < tokens.len() {
        // M x y h w v h H x V y
        assert_eq!(tokens[i], Token::Cmd('M'), "path is rectangles");
        let (x, y) = (num(i + 1), num(i + 2));
        assert_eq!(tokens[i + 3], Token::Cmd('h'));
        let rw = num(i + 4);
        assert_eq!(tokens[i + 5], Token::Cmd('v'));
        let rh = num(i + 6);
        assert_eq!(tokens[i + 7], Token::Cmd('H'));
        assert_eq!(tokens[i + 9], Token::Cmd('V'));
        for py in y as usize..(y + rh) as usize {
            for px in x as usize..(x + rw) as usize {
                grey[py * w + px] = 0;
            }
        }
        rects += 1;
        i += 11;
    }
    assert!(rects > 20, "a real code has many dark modules");
    decode_grey(w, h, &grey)
}

#[derive(Debug, PartialEq)]
enum Token {
    Cmd(char),
    Num(f64),
}

/// The public address the codes should carry (the configured base URL).
fn expected(app: &TestApp, query: &str) -> String {
    format!("{}/f/shop?src=qr{query}", app.state.config.base_url)
}

both!(codes_decode_to_the_public_form, |backend| {
    let app = TestApp::with_shop(backend);
    let owner = app.login("owner@shop.example");

    let svg = owner.get_bytes("/staff/locations/shop/qr.svg");
    assert_eq!(svg.status, 200);
    assert!(
        svg.header("content-type").starts_with("image/svg+xml"),
        "{}",
        svg.header("content-type")
    );
    assert_eq!(
        svg.header("content-disposition"),
        "attachment; filename=\"tellus-shop.svg\""
    );
    let svg_text = String::from_utf8(svg.body).expect("SVG is text");
    assert_eq!(decode_svg(&svg_text), expected(&app, ""));

    let png = owner.get_bytes("/staff/locations/shop/qr.png");
    assert_eq!(png.status, 200);
    assert_eq!(png.header("content-type"), "image/png");
    assert_eq!(
        png.header("content-disposition"),
        "attachment; filename=\"tellus-shop.png\""
    );
    assert_eq!(decode_png(&png.body), expected(&app, ""));

    let svg = owner.get_bytes("/staff/locations/shop/qr.svg?spot=table-4");
    assert_eq!(svg.status, 200);
    assert_eq!(
        svg.header("content-disposition"),
        "attachment; filename=\"tellus-shop-table-4.svg\""
    );
    let svg_text = String::from_utf8(svg.body).expect("SVG is text");
    assert_eq!(decode_svg(&svg_text), expected(&app, "&spot=table-4"));

    let png = owner.get_bytes("/staff/locations/shop/qr.png?spot=table-4");
    assert_eq!(png.status, 200);
    assert_eq!(
        png.header("content-disposition"),
        "attachment; filename=\"tellus-shop-table-4.png\""
    );
    assert_eq!(decode_png(&png.body), expected(&app, "&spot=table-4"));
});

both!(scanning_and_submitting_stores_spot_and_channel, |backend| {
    let app = TestApp::with_shop(backend);
    let owner = app.login("owner@shop.example");
    let png = owner.get_bytes("/staff/locations/shop/qr.png?spot=table-4");
    let decoded = decode_png(&png.body);
    // The test server listens on another port than the configured base URL.
    let url = decoded.replacen(&app.state.config.base_url, &app.base, 1);
    assert!(url.starts_with(&app.base), "{url}");

    let customer = app.client();
    let form = customer.get(&url);
    assert_eq!(form.status, 200, "the code leads to the form");
    assert_eq!(form.hidden("spot").as_deref(), Some("table-4"));
    assert_eq!(form.hidden("src").as_deref(), Some("qr"));
    let thanks = app.fill_in(
        &customer,
        &url,
        &[("face", "2"), ("message", "Tafel 4 plakte.")],
    );
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    assert_eq!(app.texts("SELECT spot AS v FROM feedback"), ["table-4"]);
    assert_eq!(app.texts("SELECT channel AS v FROM feedback"), ["qr"]);
});

both!(posters_in_both_sizes, |backend| {
    let app = TestApp::with_shop(backend);
    let owner = app.login("owner@shop.example");
    let short = format!("{}/f/shop", app.state.config.base_url);
    for size in ["a4", "a5"] {
        let page = owner.get(&format!("/staff/locations/shop/poster?size={size}"));
        assert_eq!(page.status, 200, "{size}");
        assert!(page
            .header("content-type")
            .unwrap_or("")
            .starts_with("text/html"));
        for line in [
            "Niet tevreden? Vertel het ons.",
            "Tevreden? Vertel het anderen!",
            "Not happy? Tell us.",
            "Happy? Tell others!",
            "Bakkerij De Zon",
        ] {
            assert!(page.body.contains(line), "{size}: {line}");
        }
        assert!(
            page.body.contains(&format!("<p class=\"url\">{short}</p>")),
            "{size}: short URL under the code"
        );
        assert!(page.body.contains(&format!("class=\"{size}\"")));
        assert!(page
            .body
            .contains(&format!("href=\"/static/css/poster-{size}.css\"")));
        assert!(page.body.contains("src=\"/staff/locations/shop/qr.svg\""));
        assert!(
            !page.body.contains("data:image"),
            "no logo without a profile"
        );
        let css = owner.get(&format!("/static/css/poster-{size}.css"));
        assert_eq!(css.status, 200);
        assert!(css.body.contains(&format!("size: {}", size.to_uppercase())));
    }
    assert_eq!(owner.get("/static/css/poster.css").status, 200);

    // The default size is A4; a spot reaches the image and the printed address.
    let page = owner.get("/staff/locations/shop/poster?spot=table-4");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("class=\"a4\""));
    assert!(page
        .body
        .contains("src=\"/staff/locations/shop/qr.svg?spot=table-4\""));
    assert!(page.body.contains(&format!("{short}?spot=table-4")));
    assert_eq!(
        owner.get("/staff/locations/shop/poster?size=letter").status,
        400
    );
});

both!(poster_shows_the_business_name_and_logo, |backend| {
    let app = TestApp::with_shop(backend);
    app.write(|c| {
        use diesel::RunQueryDsl;
        diesel::sql_query(
            "UPDATE business_profile SET name = 'Zon & Co', accent_colour = '#1f5f8b', \
             logo_type = 'image/png', logo_base64 = 'iVBORw0KGgo=', updated_at = CURRENT_TIMESTAMP WHERE id = 1",
        )
        .execute(c)?;
        Ok(())
    });
    let owner = app.login("owner@shop.example");
    let page = owner.get("/staff/locations/shop/poster?size=a5");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Zon &amp; Co"), "business name");
    assert!(page.body.contains("Bakkerij De Zon"), "location name too");
    assert!(page
        .body
        .contains("src=\"data:image/png;base64,iVBORw0KGgo=\""));

    // Only PNG, JPEG and WebP logos are shown.
    app.write(|c| {
        use diesel::RunQueryDsl;
        diesel::sql_query("UPDATE business_profile SET logo_type = 'image/svg+xml' WHERE id = 1")
            .execute(c)?;
        Ok(())
    });
    let page = owner.get("/staff/locations/shop/poster?size=a5");
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("data:"), "no SVG logo");
});

both!(index_lists_every_location, |backend| {
    let app = TestApp::with_shop(backend);
    app.add_location("terras", "Terras De Zon");
    let owner = app.login("owner@shop.example");
    // Posters and kiosks are under Settings, which every owner page links.
    assert!(owner
        .get("/staff/inbox")
        .body
        .contains("href=\"/staff/start\""));
    let settings = owner.get("/staff/locations").body;
    for page in ["/staff/posters", "/staff/kiosks"] {
        assert!(settings.contains(&format!("href=\"{page}\"")), "{page}");
    }
    let page = owner.get("/staff/posters");
    assert_eq!(page.status, 200);
    for slug in ["shop", "terras"] {
        for link in [
            format!("/staff/locations/{slug}/qr.svg"),
            format!("/staff/locations/{slug}/qr.png"),
            format!("/staff/locations/{slug}/poster?size=a4"),
            format!("/staff/locations/{slug}/poster?size=a5"),
        ] {
            assert!(page.body.contains(&format!("href=\"{link}\"")), "{link}");
        }
    }
    assert!(page.body.contains("action=\"/staff/posters\""));

    let page = owner.get("/staff/posters?spot=table-4");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.link("/staff/locations/shop/poster").as_deref(),
        Some("/staff/locations/shop/poster?size=a4&spot=table-4")
    );
    assert_eq!(
        page.link("/staff/locations/shop/qr.svg").as_deref(),
        Some("/staff/locations/shop/qr.svg?spot=table-4")
    );

    let page = owner.get("/staff/posters?spot=%3Cx%3E");
    assert_eq!(page.status, 400);
    assert!(!page.body.contains("<x>"));
    assert!(page.body.contains("href=\"/staff/locations/shop/qr.svg\""));
});

both!(only_owners_see_codes_and_posters, |backend| {
    let app = TestApp::with_shop(backend);
    let paths = [
        "/staff/posters",
        "/staff/locations/shop/qr.svg",
        "/staff/locations/shop/qr.png",
        "/staff/locations/shop/poster?size=a4",
        "/staff/locations/shop/poster?size=a5",
        "/staff/locations/shop/qr.svg?spot=%3Cx%3E",
    ];
    let staff = app.login("staff@shop.example");
    assert!(!staff
        .get("/staff/inbox")
        .body
        .contains("href=\"/staff/posters\""));
    for path in paths {
        assert_eq!(staff.get(path).status, 404, "staff: {path}");
        let anonymous = app.client().get(path);
        assert_ne!(anonymous.status, 200, "anonymous: {path}");
        assert!(!anonymous.body.contains("<svg"));
    }

    let owner = app.login("owner@shop.example");
    for path in [
        "/staff/locations/nope/qr.svg",
        "/staff/locations/nope/qr.png",
        "/staff/locations/nope/poster?size=a4",
    ] {
        assert_eq!(owner.get(path).status, 404, "unknown slug: {path}");
    }
    for path in [
        "/staff/locations/shop/qr.svg?spot=%3Cx%3E",
        "/staff/locations/shop/qr.png?spot=%3Cx%3E",
        "/staff/locations/shop/poster?size=a4&spot=%3Cx%3E",
        &format!("/staff/locations/shop/qr.svg?spot={}", "a".repeat(65)),
    ] {
        let res = owner.get(path);
        assert_eq!(res.status, 400, "bad spot: {path}");
        assert!(!html_unescape(&res.body).contains("<x>"));
    }
});
