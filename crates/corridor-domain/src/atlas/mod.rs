//! Data into the map: the bundled atlas ([`bundled`]) and a user's files ([`import`]), both
//! turned into [`crate::map::layer::Layer`]s. Depends on [`crate::data`], [`crate::rail`] and
//! [`crate::map`].

pub mod bundled;
pub mod find;
pub mod import;
