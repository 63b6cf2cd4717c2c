//! An index's price chart as SVG, by a pure function: each quote as a dot placed by its day in
//! the month, the monthly average as a line, and — when one is chosen — a contract's formula
//! price per delivery month as a dashed line. Values are ten-thousandths of the currency per kg,
//! in integers, so no price passes through a float.

use std::fmt::Write;

use rust_decimal::Decimal;

use super::charts::{
    esc, labelled, legend, nice_axis, HEIGHT, PLOT_HEIGHT, PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, WIDTH,
};
use super::view;

/// One month of the chart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PriceMonth {
    /// `2027-03`.
    pub period: String,
    pub average: Option<i64>,
    /// The chosen contract's unit price for deliveries in this month.
    pub contract: Option<i64>,
    /// (day of month, price) of each quote.
    pub quotes: Vec<(u32, i64)>,
}

/// Lines through consecutive months that have a value; a month without one breaks the line.
fn segments(points: &[(i128, Option<i128>)]) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<String> = Vec::new();
    for (x, y) in points {
        match y {
            Some(y) => current.push(format!("{x},{y}")),
            None => {
                if current.len() > 1 {
                    out.push(current.join(" "));
                }
                current.clear();
            }
        }
    }
    if current.len() > 1 {
        out.push(current.join(" "));
    }
    out
}

/// Quotes, the monthly average and a contract's formula price per month, with a title, axis
/// labels, a legend and each mark's figure in its `<title>`.
pub fn price_chart(
    title: &str,
    currency: &str,
    axis: &str,
    months: &[PriceMonth],
    contract: Option<&str>,
) -> String {
    let n = i128::try_from(months.len().max(1)).unwrap_or(1);
    let values: Vec<i128> = months
        .iter()
        .flat_map(|m| {
            m.quotes
                .iter()
                .map(|q| q.1)
                .chain(m.average)
                .chain(m.contract)
        })
        .map(i128::from)
        .collect();
    // The axis fits the prices (it does not start at zero: a price moves within a band).
    let (low, top, step) = nice_axis(
        values.iter().copied().min().unwrap_or(0),
        values.iter().copied().max().unwrap_or(1),
    );
    let span = (top - low).max(1);
    let y = |v: i64| PLOT_TOP + (top - i128::from(v).clamp(low, top)) * PLOT_HEIGHT / span;
    let plot_width = WIDTH - PLOT_LEFT - PLOT_RIGHT;
    let slot = plot_width / n;
    let x0 = |i: usize| PLOT_LEFT + i128::try_from(i).unwrap_or(0) * slot;
    let centre = |i: usize| x0(i) + slot / 2;
    let price = |v: i64| view::money(currency, Decimal::new(v, 4));
    let bottom = PLOT_TOP + PLOT_HEIGHT;
    let quotes: usize = months.iter().map(|m| m.quotes.len()).sum();

    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="price-title price-desc" class="chart">"#
    );
    let _ = write!(
        s,
        r#"<title id="price-title">{}</title><desc id="price-desc">Price ({}) over {} months: {quotes} quotes, the monthly average{}.</desc>"#,
        esc(title),
        esc(axis),
        months.len(),
        contract
            .map(|c| format!(" and the formula price of {}", esc(c)))
            .unwrap_or_default()
    );
    let _ = write!(
        s,
        r#"<text x="{PLOT_LEFT}" y="22" class="chart-title">{}</text>"#,
        esc(title)
    );
    let _ = write!(
        s,
        r#"<line x1="{PLOT_LEFT}" y1="{PLOT_TOP}" x2="{PLOT_LEFT}" y2="{bottom}" class="axis"/><line x1="{PLOT_LEFT}" y1="{bottom}" x2="{}" y2="{bottom}" class="axis"/>"#,
        WIDTH - PLOT_RIGHT
    );
    let mut tick = low;
    while tick <= top {
        let v = i64::try_from(tick).unwrap_or(0);
        let _ = write!(
            s,
            r#"<line x1="{PLOT_LEFT}" y1="{0}" x2="{1}" y2="{0}" class="grid"/><text x="{2}" y="{3}" class="tick" text-anchor="end">{4}</text>"#,
            y(v),
            WIDTH - PLOT_RIGHT,
            PLOT_LEFT - 6,
            y(v) + 4,
            // The currency and unit are the axis's label; a tick is the number alone.
            view::money("", Decimal::new(v, 4)).trim()
        );
        tick += step;
    }
    let _ = write!(
        s,
        r#"<text x="14" y="{0}" class="axis-label" transform="rotate(-90 14 {0})">{1}</text><text x="{2}" y="{3}" class="axis-label" text-anchor="middle">Month</text>"#,
        PLOT_TOP + PLOT_HEIGHT / 2,
        esc(axis),
        PLOT_LEFT + plot_width / 2,
        bottom + 36
    );
    for (i, m) in months.iter().enumerate() {
        let p = esc(&m.period);
        if labelled(i, months.len()) {
            let _ = write!(
                s,
                r#"<text x="{}" y="{}" class="tick" text-anchor="middle">{p}</text>"#,
                centre(i),
                bottom + 16
            );
        }
        for (day, value) in &m.quotes {
            let dx = slot * i128::from(day.saturating_sub(1).min(30)) / 31;
            let _ = write!(
                s,
                r#"<circle cx="{}" cy="{}" r="3.5" class="quote"><title>{p}-{day:02}: {}</title></circle>"#,
                x0(i) + dx,
                y(*value),
                price(*value)
            );
        }
    }
    let line = |values: Vec<Option<i64>>| {
        segments(
            &values
                .iter()
                .enumerate()
                .map(|(i, v)| (centre(i), v.map(y)))
                .collect::<Vec<_>>(),
        )
    };
    for points in line(months.iter().map(|m| m.average).collect()) {
        let _ = write!(s, r#"<polyline points="{points}" class="average-line"/>"#);
    }
    let formula = months
        .iter()
        .map(|m| m.contract.filter(|_| contract.is_some()))
        .collect();
    for points in line(formula) {
        let _ = write!(s, r#"<polyline points="{points}" class="formula-line"/>"#);
    }
    for (i, m) in months.iter().enumerate() {
        let p = esc(&m.period);
        if let Some(a) = m.average {
            let _ = write!(
                s,
                r#"<circle cx="{}" cy="{}" r="4" class="average"><title>{p} average: {}</title></circle>"#,
                centre(i),
                y(a),
                price(a)
            );
        }
        if let (Some(c), Some(name)) = (m.contract, contract) {
            let _ = write!(
                s,
                r#"<rect x="{}" y="{}" width="8" height="8" class="formula"><title>{p} {}: {}</title></rect>"#,
                centre(i) - 4,
                y(c) - 4,
                esc(name),
                price(c)
            );
        }
    }
    let mut entries = vec![
        ("quote", "Quote".to_string()),
        ("average", "Monthly average".to_string()),
    ];
    if let Some(name) = contract {
        entries.push(("formula", format!("{} formula price", esc(name))));
    }
    let keys: Vec<(&str, &str)> = entries.iter().map(|(c, l)| (*c, l.as_str())).collect();
    legend(&mut s, &keys, 3, 200);
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<PriceMonth> {
        vec![
            PriceMonth {
                period: "2026-09".into(),
                average: Some(612_500),
                contract: None,
                quotes: vec![(1, 610_000), (15, 615_000)],
            },
            PriceMonth {
                period: "2026-10".into(),
                average: Some(615_300),
                contract: Some(602_900),
                quotes: vec![(10, 615_250)],
            },
            PriceMonth {
                period: "2026-11".into(),
                average: None,
                contract: Some(605_600),
                quotes: vec![],
            },
        ]
    }

    /// As committed in `snapshots/`; accept a deliberate change with
    /// `NDPR_UPDATE_SNAPSHOTS=1 cargo test --lib price_chart`.
    #[test]
    fn the_price_chart_matches_its_snapshot() {
        let svg = price_chart(
            "NDPR-OXIDE-FOB-CN",
            "USD",
            "USD per kg",
            &sample(),
            Some("CT-7"),
        );
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/snapshots/price_chart.svg");
        if std::env::var_os("NDPR_UPDATE_SNAPSHOTS").is_some() {
            std::fs::write(path, &svg).unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(svg, std::fs::read_to_string(path).unwrap_or_default());
    }

    #[test]
    fn quotes_averages_and_the_formula_price_are_labelled() {
        let svg = price_chart("<I>", "USD", "USD per kg", &sample(), Some("CT-7"));
        assert!(svg.contains("<title>2026-09-15: USD 61.50</title>"));
        assert!(svg.contains("<title>2026-10 average: USD 61.53</title>"));
        assert!(svg.contains("<title>2026-11 CT-7: USD 60.56</title>"));
        assert!(svg.contains(">USD per kg</text>") && svg.contains(">Month</text>"));
        assert!(svg.contains(">Quote</text>") && svg.contains(">CT-7 formula price</text>"));
        assert!(svg.contains("&lt;I&gt;"));
        let without = price_chart("I", "USD", "USD per kg", &sample(), None);
        assert!(!without.contains("formula"));
    }

    #[test]
    fn a_gap_breaks_a_line() {
        let pts = [(1, Some(1)), (2, None), (3, Some(3)), (4, Some(4))];
        assert_eq!(segments(&pts), vec!["3,3 4,4".to_string()]);
    }
}
