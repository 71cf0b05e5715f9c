//! Which column of a register file holds what: a mapping typed by the organiser, a layout
//! recognised from the header, or one remembered from an earlier file with that header.

use super::import::ImportError;
use super::layout::{self, Edition, Mapping};
use crate::on_store;
use crate::store::Store;
use chrono::Utc;
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
pub struct MappingSpec {
    pub names: BTreeMap<layout::Field, String>,
    pub edition: Edition,
}

impl MappingSpec {
    /// Reads `surname=Family name; forename=Given name; …` as typed on a command line.
    pub fn parse(text: &str, edition: Edition) -> Result<MappingSpec, String> {
        let mut names = BTreeMap::new();
        for pair in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let (field, column) =
                pair.split_once('=').ok_or_else(|| format!("\"{pair}\" should read field=Column header"))?;
            let field: layout::Field =
                serde_json::from_value(serde_json::Value::String(field.trim().to_string()))
                    .map_err(|_| format!("\"{}\" is not a field Groundwork knows", field.trim()))?;
            names.insert(field, column.trim().to_string());
        }
        Ok(MappingSpec { names, edition })
    }
}
/// Which column holds what: the organiser's mapping when given (and then remembered for
/// the next file with this header), else a layout recognised from the header, else a
/// mapping remembered from an earlier file.
pub async fn resolve_mapping(
    store: &Store,
    headers: &[String],
    spec: Option<&MappingSpec>,
) -> Result<Mapping, ImportError> {
    let signature = layout::header_signature(headers);
    match spec {
        Some(spec) => {
            let m = layout::from_names(headers, &spec.names, spec.edition).map_err(ImportError::File)?;
            remember_mapping(store, &signature, &m).await?;
            Ok(m)
        }
        None => match layout::detect(headers) {
            Some(m) => Ok(m),
            None => remembered_mapping(store, &signature)
                .await?
                .ok_or_else(|| ImportError::UnknownLayout(headers.to_vec())),
        },
    }
}
async fn remembered_mapping(store: &Store, signature: &str) -> Result<Option<Mapping>, sqlx::Error> {
    let row: Option<(String,)> = on_store!(store, pool => sqlx::query_as(
        "SELECT mapping FROM register_mappings WHERE header_signature = $1").bind(signature).fetch_optional(pool).await)?;
    Ok(row.and_then(|(json,)| serde_json::from_str(&json).ok()))
}

async fn remember_mapping(store: &Store, signature: &str, mapping: &Mapping) -> Result<(), sqlx::Error> {
    let json = serde_json::to_string(mapping).unwrap_or_default();
    on_store!(store, pool => sqlx::query(
        "INSERT INTO register_mappings (header_signature, mapping, created_at) VALUES ($1, $2, $3)
         ON CONFLICT (header_signature) DO UPDATE SET mapping = excluded.mapping")
        .bind(signature).bind(json).bind(Utc::now()).execute(pool).await.map(|_| ()))
}
