//! Charts drawn on the server as SVG, by pure functions: a title, axis labels and a legend on
//! every chart, and the figures in a `<title>` on every mark for screen readers and tooltips.
//! Geometry is integer arithmetic on grams, so no quantity passes through a float.
//!
//! No maintained Rust crate drew accessible SVG (title, description, labelled marks) without a
//! plotting stack far larger than this file (plotters pulls in font rendering); these few
//! shapes are simpler to own.

use std::fmt::Write;

use rust_decimal::Decimal;

use super::view;

/// One month of a product's reconciliation, in grams.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChartMonth {
    /// `2027-03`.
    pub period: String,
    pub supply: i64,
    pub contract: i64,
    pub addon: i64,
    pub spot: i64,
    pub projected_stock: i64,
    pub shortfall: i64,
    pub atp: i64,
}

pub(super) const WIDTH: i128 = 760;
pub(super) const PLOT_TOP: i128 = 40;
pub(super) const PLOT_HEIGHT: i128 = 260;
pub(super) const PLOT_LEFT: i128 = 90;
pub(super) const PLOT_RIGHT: i128 = 20;
pub(super) const LEGEND_TOP: i128 = PLOT_TOP + PLOT_HEIGHT + 62;
pub(super) const HEIGHT: i128 = LEGEND_TOP + 40;

/// XML text: `&`, `<`, `>` and `"` escaped.
pub(super) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Whether month `i` of `n` gets its label under the axis: all of up to 12, else every few,
/// so labels never overlap (each mark still names its month in its `<title>`).
pub(super) fn labelled(i: usize, n: usize) -> bool {
    i.is_multiple_of(n.div_ceil(12).max(1))
}

/// A chart's legend in words: a key swatch of each class and its label (text already escaped),
/// `per_row` entries to a row, `spacing` apart.
pub(super) fn legend(s: &mut String, entries: &[(&str, &str)], per_row: i128, spacing: i128) {
    s.push_str(r#"<g class="legend">"#);
    for (i, (class, label)) in entries.iter().enumerate() {
        let i = i128::try_from(i).unwrap_or(0);
        let x = PLOT_LEFT + (i % per_row) * spacing;
        let line = LEGEND_TOP + (i / per_row) * 20;
        let _ = write!(
            s,
            r#"<rect x="{x}" y="{}" width="12" height="12" class="{class} key"/><text x="{}" y="{line}" class="tick">{label}</text>"#,
            line - 10,
            x + 16
        );
    }
    s.push_str("</g>");
}

/// An axis that fits the data: from a little below the lowest value to a little above the
/// highest, on round steps (1, 2 or 5 × a power of ten) so its ticks read easily; never below
/// zero when the data is not. Returns (low, high, step), low < high.
pub fn nice_axis(lowest: i128, highest: i128) -> (i128, i128, i128) {
    let (lowest, highest) = (lowest.min(highest), highest.max(lowest));
    let span = (highest - lowest).max(highest.abs() / 10).max(1);
    // The step: the smallest round number that covers the span padded by a tenth in at most
    // five steps.
    let want = ((span + span / 5 + 4) / 5).max(1);
    let mut power: i128 = 1;
    let step = loop {
        if let Some(s) = [1, 2, 5].iter().map(|m| m * power).find(|s| *s >= want) {
            break s;
        }
        power = power.saturating_mul(10);
    };
    let pad = span / 10;
    let mut low = (lowest - pad).div_euclid(step) * step;
    if lowest >= 0 {
        low = low.max(0);
    }
    let mut high = (highest + pad).div_euclid(step) * step;
    if high < highest + pad {
        high += step;
    }
    if high <= low {
        high = low + step;
    }
    (low, high, step)
}

pub(super) fn kg(grams: i64) -> String {
    view::kg(Decimal::new(grams, 3))
}

/// Supply bars, demand stacked by contract, add-on and spot, projected stock as a line, short
/// months shaded, and ATP as a step line, month by month.
pub fn reconciliation_chart(title: &str, months: &[ChartMonth]) -> String {
    let n = i128::try_from(months.len().max(1)).unwrap_or(1);
    let demand = |m: &ChartMonth| i128::from(m.contract) + i128::from(m.addon) + i128::from(m.spot);
    let top = months
        .iter()
        .map(|m| {
            i128::from(m.supply)
                .max(demand(m))
                .max(i128::from(m.projected_stock))
                .max(i128::from(m.atp))
        })
        .max()
        .unwrap_or(0)
        .max(1);
    let bottom = months
        .iter()
        .map(|m| i128::from(m.projected_stock).min(0))
        .min()
        .unwrap_or(0);
    let span = (top - bottom).max(1);
    let y = |v: i128| PLOT_TOP + (top - v) * PLOT_HEIGHT / span;
    let plot_width = WIDTH - PLOT_LEFT - PLOT_RIGHT;
    let slot = plot_width / n;
    let x0 = |i: i128| PLOT_LEFT + i * slot;
    let bar = (slot * 3 / 10).max(2);

    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" class="chart">"#
    );
    let _ = write!(s, r#"<title id="chart-title">{}</title>"#, esc(title));
    let short: Vec<&str> = months
        .iter()
        .filter(|m| m.shortfall > 0)
        .map(|m| m.period.as_str())
        .collect();
    let _ = write!(
        s,
        r#"<desc id="chart-desc">Supply and demand in kg per month, {} months; short months: {}.</desc>"#,
        months.len(),
        if short.is_empty() {
            "none".to_string()
        } else {
            short.join(", ")
        }
    );
    let _ = write!(
        s,
        r#"<text x="{}" y="22" class="chart-title">{}</text>"#,
        PLOT_LEFT,
        esc(title)
    );
    // Short months, shaded behind everything.
    for (i, m) in months.iter().enumerate() {
        if m.shortfall > 0 {
            let i = i128::try_from(i).unwrap_or(0);
            let _ = write!(
                s,
                r#"<rect x="{}" y="{PLOT_TOP}" width="{slot}" height="{PLOT_HEIGHT}" class="short"><title>{}: short by {} kg</title></rect>"#,
                x0(i),
                esc(&m.period),
                kg(m.shortfall)
            );
        }
    }
    // Axes: kg on the left (bottom, middle, top), months along the bottom.
    let zero = y(0);
    let _ = write!(
        s,
        r#"<line x1="{PLOT_LEFT}" y1="{PLOT_TOP}" x2="{PLOT_LEFT}" y2="{}" class="axis"/><line x1="{PLOT_LEFT}" y1="{zero}" x2="{}" y2="{zero}" class="axis"/>"#,
        PLOT_TOP + PLOT_HEIGHT,
        WIDTH - PLOT_RIGHT
    );
    for v in [bottom, (top + bottom) / 2, top] {
        let grams = i64::try_from(v).unwrap_or(0);
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" class="tick" text-anchor="end">{}</text>"#,
            PLOT_LEFT - 6,
            y(v) + 4,
            kg(grams)
        );
    }
    let _ = write!(
        s,
        r#"<text x="14" y="{}" class="axis-label" transform="rotate(-90 14 {})">kg</text>"#,
        PLOT_TOP + PLOT_HEIGHT / 2,
        PLOT_TOP + PLOT_HEIGHT / 2
    );
    let _ = write!(
        s,
        r#"<text x="{}" y="{}" class="axis-label" text-anchor="middle">Month</text>"#,
        PLOT_LEFT + plot_width / 2,
        PLOT_TOP + PLOT_HEIGHT + 36
    );
    for (i, m) in months.iter().enumerate() {
        let i = i128::try_from(i).unwrap_or(0);
        let centre = x0(i) + slot / 2;
        let _ = write!(
            s,
            r#"<text x="{centre}" y="{}" class="tick" text-anchor="middle">{}</text>"#,
            PLOT_TOP + PLOT_HEIGHT + 16,
            esc(&m.period)
        );
        // Supply, left of centre.
        let supply = i128::from(m.supply);
        let _ = write!(
            s,
            r#"<rect x="{}" y="{}" width="{bar}" height="{}" class="supply"><title>{} supply {} kg</title></rect>"#,
            centre - bar - 1,
            y(supply),
            zero - y(supply),
            esc(&m.period),
            kg(m.supply)
        );
        // Demand, right of centre, stacked.
        let mut base = 0i128;
        for (value, class, name) in [
            (m.contract, "contract", "contract"),
            (m.addon, "addon", "add-on"),
            (m.spot, "spot", "spot"),
        ] {
            let v = i128::from(value);
            if v <= 0 {
                continue;
            }
            let _ = write!(
                s,
                r#"<rect x="{}" y="{}" width="{bar}" height="{}" class="{class}"><title>{} {name} {} kg</title></rect>"#,
                centre + 1,
                y(base + v),
                y(base) - y(base + v),
                esc(&m.period),
                kg(value)
            );
            base += v;
        }
    }
    // Projected stock: a line through the month centres.
    let points: Vec<String> = months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let i = i128::try_from(i).unwrap_or(0);
            format!("{},{}", x0(i) + slot / 2, y(i128::from(m.projected_stock)))
        })
        .collect();
    if !points.is_empty() {
        let _ = write!(
            s,
            r#"<polyline points="{}" class="stock"><title>Projected stock</title></polyline>"#,
            points.join(" ")
        );
    }
    // ATP: a step line, level across each month.
    let mut path = String::new();
    for (i, m) in months.iter().enumerate() {
        let i = i128::try_from(i).unwrap_or(0);
        let level = y(i128::from(m.atp));
        if i == 0 {
            let _ = write!(path, "M{} {level}", x0(0));
        } else {
            let _ = write!(path, " V{level}");
        }
        let _ = write!(path, " H{}", x0(i + 1));
    }
    if !path.is_empty() {
        let _ = write!(
            s,
            r#"<path d="{path}" class="atp"><title>Available to promise</title></path>"#
        );
    }
    // Legend, in words.
    let entries = [
        ("supply", "Supply"),
        ("contract", "Contract demand"),
        ("addon", "Add-on demand"),
        ("spot", "Spot demand"),
        ("stock", "Projected stock"),
        ("atp", "ATP"),
        ("short", "Short month"),
    ];
    legend(&mut s, &entries, 4, 160);
    s.push_str("</svg>");
    s
}

/// A sparkline: a small line of values (ten-thousandths), decorative beside a figure that says
/// the same in text, so it is hidden from screen readers.
pub fn sparkline(values: &[i64]) -> String {
    const W: i128 = 120;
    const H: i128 = 28;
    let top = values.iter().map(|v| i128::from(*v)).max().unwrap_or(0);
    let bottom = values.iter().map(|v| i128::from(*v)).min().unwrap_or(0);
    let span = (top - bottom).max(1);
    let n = i128::try_from(values.len()).unwrap_or(0);
    let step = if n > 1 { W / (n - 1) } else { 0 };
    let points: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let i = i128::try_from(i).unwrap_or(0);
            format!(
                "{},{}",
                i * step,
                2 + (top - i128::from(*v)) * (H - 4) / span
            )
        })
        .collect();
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" class="sparkline" aria-hidden="true" focusable="false"><polyline points="{}" class="average-line"/></svg>"#,
        points.join(" ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_price_axis_fits_a_band_of_prices() {
        // USD 60.00–62.50/kg in ten-thousandths: the axis is near the band, not from zero.
        let (low, high, step) = nice_axis(600_000, 625_000);
        assert!(low > 500_000 && low <= 600_000, "{low}");
        assert!((625_000..=700_000).contains(&high), "{high}");
        assert_eq!((high - low) % step, 0);
        // One value: a band around it. Nothing: a unit axis.
        let (low, high, _) = nice_axis(612_500, 612_500);
        assert!(low < 612_500 && high > 612_500);
        assert_eq!(nice_axis(0, 0).0, 0);
    }

    proptest! {
        #[test]
        fn the_axis_holds_every_value_in_a_few_round_steps(a in 0i128..10_000_000_000, b in 0i128..10_000_000_000) {
            let (low, high, step) = nice_axis(a, b);
            prop_assert!(low <= a.min(b) && high >= a.max(b));
            prop_assert!(low >= 0 && low < high);
            prop_assert_eq!((high - low) % step, 0);
            prop_assert!((high - low) / step <= 7, "{} steps", (high - low) / step);
            let mut m = step;
            while m % 10 == 0 { m /= 10; }
            prop_assert!(m == 1 || m == 2 || m == 5, "step {}", step);
        }
    }

    fn sample() -> Vec<ChartMonth> {
        vec![
            ChartMonth {
                period: "2027-01".into(),
                supply: 1_000_000,
                contract: 600_000,
                addon: 100_000,
                spot: 50_000,
                projected_stock: 250_000,
                shortfall: 0,
                atp: 250_000,
            },
            ChartMonth {
                period: "2027-02".into(),
                supply: 500_000,
                contract: 600_000,
                addon: 0,
                spot: 200_000,
                projected_stock: -50_000,
                shortfall: 50_000,
                atp: 0,
            },
            ChartMonth {
                period: "2027-03".into(),
                supply: 1_200_000,
                contract: 600_000,
                addon: 0,
                spot: 0,
                projected_stock: 550_000,
                shortfall: 0,
                atp: 550_000,
            },
        ]
    }

    /// The chart of the sample, byte for byte as committed in `snapshots/`. To accept a
    /// deliberate change: `NDPR_UPDATE_SNAPSHOTS=1 cargo test --lib charts`.
    #[test]
    fn the_reconciliation_chart_matches_its_snapshot() {
        let svg = reconciliation_chart("NDPR-OXIDE: supply and demand", &sample());
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src/snapshots/reconciliation_chart.svg"
        );
        if std::env::var_os("NDPR_UPDATE_SNAPSHOTS").is_some() {
            std::fs::write(path, &svg).unwrap_or_else(|e| panic!("{e}"));
        }
        let expected = std::fs::read_to_string(path).unwrap_or_default();
        assert_eq!(
            svg, expected,
            "the chart changed; see the test's doc to accept it"
        );
    }

    #[test]
    fn every_chart_has_a_title_axis_labels_a_legend_and_labelled_marks() {
        let svg = reconciliation_chart("P <&> title", &sample());
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains("<title id=\"chart-title\">P &lt;&amp;&gt; title</title>"));
        assert!(svg.contains(">kg</text>") && svg.contains(">Month</text>"));
        for entry in [
            "Supply",
            "Contract demand",
            "Spot demand",
            "Projected stock",
            "ATP",
            "Short month",
        ] {
            assert!(svg.contains(&format!(">{entry}</text>")), "{entry}");
        }
        assert!(svg.contains("short months: 2027-02"));
        assert!(svg.contains("<title>2027-02: short by 50.000 kg</title>"));
        assert!(svg.contains("<title>2027-01 supply 1,000.000 kg</title>"));
        assert_eq!(svg.matches(r#"class="supply""#).count(), 3);
    }

    #[test]
    fn a_sparkline_spans_its_box_and_hides_from_screen_readers() {
        let svg = sparkline(&[10, 30, 20]);
        assert_eq!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 28" class="sparkline" aria-hidden="true" focusable="false"><polyline points="0,26 60,2 120,14" class="average-line"/></svg>"#
        );
        assert!(sparkline(&[]).contains(r#"points="""#));
    }

    #[test]
    fn an_empty_chart_still_draws() {
        let svg = reconciliation_chart("Nothing yet", &[]);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("short months: none"));
    }
}
