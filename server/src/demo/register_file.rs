//! Writes the demo's synthetic people as a council register export, in any of the
//! layouts Groundwork reads, for tests, benchmarks and trying out the import.

use super::model::People;
use app::register::layout::{Field, LAYOUTS};
use std::io::Write;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

#[derive(Clone, Copy, Debug)]
pub struct FileFormat {
    pub encoding: Encoding,
    pub line_end: &'static str,
    pub delimiter: u8,
}

impl Default for FileFormat {
    fn default() -> Self {
        FileFormat { encoding: Encoding::Utf8, line_end: "\r\n", delimiter: b',' }
    }
}

pub fn layout_slugs() -> Vec<&'static str> {
    LAYOUTS.iter().map(|l| l.slug).collect()
}

/// The register as text, one row per elector, in the named layout.
pub fn register_text(people: &People, slug: &str, delimiter: u8, line_end: &str) -> Result<String, String> {
    let layout = LAYOUTS
        .iter()
        .find(|l| l.slug == slug)
        .ok_or_else(|| format!("no layout called {slug}; try one of {}", layout_slugs().join(", ")))?;
    let terminator = match line_end {
        "\n" => csv::Terminator::Any(b'\n'),
        "\r" => csv::Terminator::Any(b'\r'),
        _ => csv::Terminator::CRLF,
    };
    let mut writer =
        csv::WriterBuilder::new().delimiter(delimiter).terminator(terminator).from_writer(Vec::new());
    let csv_err = |e: csv::Error| e.to_string();
    writer.write_record(layout.columns.iter().map(|(_, names, _)| names[0])).map_err(csv_err)?;
    for e in &people.electors {
        let h = &people.households[e.household];
        let prefix = &people.polling_districts[e.pd].code;
        let record: Vec<String> = layout
            .columns
            .iter()
            .map(|(field, _, _)| match field {
                Field::ElectorNumber => format!("{prefix}-{}", e.number),
                Field::DistrictPrefix => prefix.clone(),
                Field::Number => e.number.to_string(),
                Field::Suffix => "0".into(),
                Field::Title => e.title.into(),
                Field::Forename => e.first_name.into(),
                Field::Surname => e.surname.into(),
                Field::FullName => format!("{}, {}", e.surname, e.first_name),
                Field::Markers => e.markers.into(),
                Field::AttainmentDate => {
                    e.attainment_date.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default()
                }
                Field::Address1 => h.address1.clone(),
                Field::Address2 => h.address2.clone().unwrap_or_default(),
                Field::Postcode => h.postcode.clone(),
                Field::ChangeType => "N".into(),
                _ => String::new(),
            })
            .collect();
        writer.write_record(&record).map_err(csv_err)?;
    }
    let bytes = writer.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// Encodes register text as a council's system might.
pub fn encode(text: &str, encoding: Encoding) -> Vec<u8> {
    match encoding {
        Encoding::Utf8 => text.as_bytes().to_vec(),
        Encoding::Utf8Bom => [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(),
        Encoding::Utf16Le => text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        Encoding::Utf16Be => text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
        Encoding::Windows1252 => encoding_rs::WINDOWS_1252.encode(text).0.into_owned(),
    }
}

pub fn write_register(
    people: &People,
    slug: &str,
    format: FileFormat,
    mut out: impl Write,
) -> Result<(), String> {
    let text = register_text(people, slug, format.delimiter, format.line_end)?;
    out.write_all(&encode(&text, format.encoding)).map_err(|e| e.to_string())
}
