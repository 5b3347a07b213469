//! The tenant's query types and sub-types (a two-level taxonomy), loaded once per page.

use crate::tasks::spawn;
use api_types::QueryType;
use leptos::prelude::*;
use uuid::Uuid;

use crate::api;
use crate::session::Session;

#[derive(Clone, Copy, Debug)]
pub struct QueryTypes(pub RwSignal<Option<Vec<QueryType>>>);

impl QueryTypes {
    pub fn load(session: Session) -> Self {
        let types = Self(RwSignal::new(None));
        types.reload(session);
        types
    }

    /// No types (for a page that names none).
    pub fn empty() -> Self {
        Self(RwSignal::new(Some(Vec::new())))
    }

    pub fn reload(self, session: Session) {
        spawn(async move {
            match api::queries::types().await {
                Ok(list) => self.0.set(Some(list.items)),
                Err(problem) => {
                    session.notice(&problem);
                    self.0.set(Some(Vec::new()));
                }
            }
        });
    }

    /// "Council tax: Refunds" for a sub-type, "Council tax" for a type (reactive).
    pub fn label(self, id: Uuid) -> String {
        self.0.with(|types| {
            let types = types.as_deref().unwrap_or_default();
            let name = |id: Uuid| types.iter().find(|t| t.id == id);
            match name(id) {
                Some(t) => match t.parent_id.and_then(name) {
                    Some(parent) => format!("{}: {}", parent.name, t.name),
                    None => t.name.clone(),
                },
                None => "Unknown type".to_owned(),
            }
        })
    }

    /// Types, each followed by its sub-types, by name (reactive).
    pub fn tree(self) -> Vec<(QueryType, Vec<QueryType>)> {
        self.0.with(|types| tree(types.as_deref().unwrap_or_default()))
    }
}

/// Types, each followed by its sub-types.
pub fn tree(types: &[QueryType]) -> Vec<(QueryType, Vec<QueryType>)> {
    let mut parents: Vec<QueryType> = types.iter().filter(|t| t.parent_id.is_none()).cloned().collect();
    parents.sort_by_key(|t| t.name.to_lowercase());
    parents
        .into_iter()
        .map(|parent| {
            let mut children: Vec<QueryType> =
                types.iter().filter(|t| t.parent_id == Some(parent.id)).cloned().collect();
            children.sort_by_key(|t| t.name.to_lowercase());
            (parent, children)
        })
        .collect()
}
