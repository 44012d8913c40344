//! The rows a fleet is expanded over: `count` rows without columns, the rows of the `inventory`
//! list, or those of the `inventoryCsv` text. Each row knows its place in the document, which
//! every message about its device names.

use crate::diagnostic::Diagnostics;
use crate::model::FleetSpec;

/// Variables every template sees, which a column cannot be called.
pub(crate) const RESERVED: [&str; 5] = ["index", "index0", "count", "fleet", "row"];

/// How to make a fleet past [`crate::Limits::max_devices`].
fn too_many_hint(max: usize) -> String {
    format!(
        "at most {max}: split the fleet into several EdgeDeviceFleet documents, or raise the \
         limit with {}",
        crate::Limit::Devices
    )
}

/// One device's row.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    /// Where the row is, e.g. `spec.inventoryCsv line 7`, `spec.inventory[2]` or `index 3`.
    pub(crate) place: String,
    /// Column names and values, in the order of the header or the row's map.
    pub(crate) columns: Vec<(String, String)>,
}

/// The rows of a fleet, at most `max` of them; a problem with them is reported in `d`.
pub(super) fn rows(spec: &FleetSpec, max: usize, d: &mut Diagnostics) -> Vec<Row> {
    let given = [
        spec.count.is_some(),
        spec.inventory.is_some(),
        spec.inventory_csv.is_some(),
    ];
    if given.iter().filter(|g| **g).count() != 1 {
        d.error(
            "spec",
            None,
            "needs exactly one of count, inventory or inventoryCsv",
            "count makes numbered devices; an inventory gives a row per device",
        );
        return Vec::new();
    }
    if let Some(count) = spec.count {
        return counted(count, max, d);
    }
    if let Some(list) = &spec.inventory {
        return listed(list, max, d);
    }
    spec.inventory_csv
        .as_deref()
        .map(|text| from_csv(text, max, d))
        .unwrap_or_default()
}

fn counted(count: u32, max: usize, d: &mut Diagnostics) -> Vec<Row> {
    let n = count as usize;
    if n == 0 {
        d.error("spec.count", Some("0"), "is out of range", "at least 1");
        return Vec::new();
    }
    if n > max {
        d.error(
            "spec.count",
            Some(&count.to_string()),
            "is more devices than a fleet may have",
            &too_many_hint(max),
        );
        return Vec::new();
    }
    (1..=n)
        .map(|index| Row {
            place: format!("index {index}"),
            columns: Vec::new(),
        })
        .collect()
}

fn listed(
    list: &[serde_json::Map<String, serde_json::Value>],
    max: usize,
    d: &mut Diagnostics,
) -> Vec<Row> {
    if list.is_empty() {
        d.error(
            "spec.inventory",
            None,
            "has no rows",
            "add a map per device",
        );
        return Vec::new();
    }
    if list.len() > max {
        d.error(
            "spec.inventory",
            Some(&format!("{} rows", list.len())),
            "is more devices than a fleet may have",
            &too_many_hint(max),
        );
        return Vec::new();
    }
    let rows = list.iter().enumerate().map(|(i, map)| {
        let place = format!("spec.inventory[{i}]");
        let columns = map.iter().filter_map(|(key, value)| {
            let path = format!("{place}.{key}");
            check_column(&path, key, d);
            let text = match value {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Bool(b) => b.to_string(),
                serde_json::Value::Null => String::new(),
                _ => {
                    d.error(
                        &path,
                        None,
                        "is not text",
                        "a row maps column names to strings; put lists and maps in the template",
                    );
                    return None;
                }
            };
            Some((key.clone(), text))
        });
        let columns = columns.collect();
        Row { place, columns }
    });
    rows.collect()
}

fn check_column(path: &str, name: &str, d: &mut Diagnostics) {
    if name.is_empty() {
        d.error(path, None, "is an empty column name", "name every column");
    } else if RESERVED.contains(&name) {
        d.error(
            path,
            Some(name),
            "is reserved for a template variable",
            &format!("rename the column; {} are taken", RESERVED.join(", ")),
        );
    }
}

fn from_csv(text: &str, max: usize, d: &mut Diagnostics) -> Vec<Row> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let mut lines = LineCounter::new(text);
    let header: Vec<String> = match reader.headers() {
        Ok(h) if h.iter().any(|name| !name.is_empty()) => h.iter().map(str::to_owned).collect(),
        _ => {
            d.error(
                "spec.inventoryCsv",
                None,
                "has no header row",
                "the first line names the columns, e.g. name,ip,mac",
            );
            return Vec::new();
        }
    };
    let header_place = format!("spec.inventoryCsv line {}", lines.line_at(0));
    check_header(&header, &header_place, d);
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                if !bad_record(&error, &mut lines, &header, d) {
                    break;
                }
                continue;
            }
        };
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let place = format!("spec.inventoryCsv line {}", lines.line_at(start));
        if rows.len() == max {
            d.error(
                &place,
                None,
                "is one device more than a fleet may have",
                &too_many_hint(max),
            );
            return Vec::new();
        }
        let columns = header.iter().cloned().zip(record.iter().map(str::to_owned));
        rows.push(Row {
            place,
            columns: columns.collect(),
        });
    }
    if rows.is_empty() && !d.has_errors() {
        d.error(
            "spec.inventoryCsv",
            None,
            "has no rows",
            "add a line per device under the header",
        );
    }
    rows
}

fn check_header(header: &[String], place: &str, d: &mut Diagnostics) {
    for (i, name) in header.iter().enumerate() {
        let path = format!("{place}: column {}", i + 1);
        check_column(&path, name, d);
        if !name.is_empty() && header[..i].contains(name) {
            d.error(
                &path,
                Some(name),
                "is used twice",
                "column names are unique",
            );
        }
    }
}

/// Reports a record the reader refused; false when reading cannot go on.
fn bad_record(
    error: &csv::Error,
    lines: &mut LineCounter<'_>,
    header: &[String],
    d: &mut Diagnostics,
) -> bool {
    match error.kind() {
        csv::ErrorKind::UnequalLengths { pos, len, .. } => {
            let start = pos.as_ref().map_or(0, |p| p.byte() as usize);
            d.error(
                &format!("spec.inventoryCsv line {}", lines.line_at(start)),
                None,
                &format!("has {len} cells, the header has {}", header.len()),
                "quote a cell that holds a comma: \"a,b\"",
            );
            true
        }
        _ => {
            d.error(
                "spec.inventoryCsv",
                None,
                &format!("cannot be read: {error}"),
                "",
            );
            false
        }
    }
}

/// Physical line numbers (from 1) of byte offsets in the CSV text, asked for in increasing order.
///
/// The reader's record position is where it started to read the record, before the empty and
/// comment lines it skipped, so those are skipped here too.
struct LineCounter<'a> {
    text: &'a str,
    byte: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        LineCounter {
            text,
            byte: 0,
            line: 1,
        }
    }

    fn line_at(&mut self, start: usize) -> usize {
        let mut start = start.min(self.text.len());
        loop {
            let rest = &self.text[start..];
            let skipped =
                rest.starts_with('\n') || rest.starts_with("\r\n") || rest.starts_with('#');
            match rest.find('\n') {
                Some(end) if skipped => start += end + 1,
                _ => break,
            }
        }
        if start >= self.byte {
            let passed = &self.text.as_bytes()[self.byte..start];
            self.line += memchr::memchr_iter(b'\n', passed).count();
            self.byte = start;
        }
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv_rows(text: &str) -> (Vec<Row>, Vec<String>) {
        let mut d = Diagnostics::default();
        let rows = from_csv(text, crate::Limits::DEFAULT.max_devices, &mut d);
        (rows, d.items.iter().map(|x| x.to_string()).collect())
    }

    #[test]
    fn csv_rows_name_their_physical_line() {
        let (rows, problems) = csv_rows("name, ip\n\n# a comment\na,1\n\"b\nc\",2\n  d , 3 \n\n");
        assert_eq!(problems, Vec::<String>::new());
        let places: Vec<&str> = rows.iter().map(|r| r.place.as_str()).collect();
        assert_eq!(
            places,
            [
                "spec.inventoryCsv line 4",
                "spec.inventoryCsv line 5",
                "spec.inventoryCsv line 7"
            ]
        );
        assert_eq!(rows[1].columns[0], ("name".to_owned(), "b\nc".to_owned()));
        assert_eq!(rows[2].columns[1], ("ip".to_owned(), "3".to_owned()));
    }

    #[test]
    fn bad_csv_is_reported_line_by_line() {
        let (_, problems) = csv_rows("name,index,name\na,1,2\nb\nc,1,2,3\n");
        assert_eq!(
            problems,
            [
                "spec.inventoryCsv line 1: column 2: \"index\" is reserved for a template \
                 variable (rename the column; index, index0, count, fleet, row are taken)",
                "spec.inventoryCsv line 1: column 3: \"name\" is used twice (column names are \
                 unique)",
                "spec.inventoryCsv line 3: has 1 cells, the header has 3 (quote a cell that \
                 holds a comma: \"a,b\")",
                "spec.inventoryCsv line 4: has 4 cells, the header has 3 (quote a cell that \
                 holds a comma: \"a,b\")",
            ]
        );
        assert_eq!(csv_rows("").1.len(), 1);
        assert_eq!(
            csv_rows("name\n").1,
            ["spec.inventoryCsv: has no rows (add a line per device under the header)"]
        );
    }

    #[test]
    fn fleets_are_bounded() {
        let max = crate::Limits::DEFAULT.max_devices;
        let mut text = String::from("name\n");
        for i in 0..=max {
            text.push_str(&format!("d{i}\n"));
        }
        let (rows, problems) = csv_rows(&text);
        assert!(rows.is_empty());
        assert_eq!(
            problems,
            [
                "spec.inventoryCsv line 10002: is one device more than a fleet may have (at \
                 most 10000: split the fleet into several EdgeDeviceFleet documents, or raise \
                 the limit with --max-devices)"
            ]
        );
        let mut d = Diagnostics::default();
        assert!(counted(10_001, max, &mut d).is_empty());
        assert!(counted(10_001, 10_001, &mut d).len() == 10_001);
        assert_eq!(d.items.len(), 1);
    }
}
