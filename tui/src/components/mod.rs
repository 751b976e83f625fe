//! Reusable building blocks of the administration screens: a searchable list, a form and
//! a confirmation dialog. Plain state + render, like the screens.

pub(crate) mod dialog;
pub(crate) mod form;
pub(crate) mod link;
pub(crate) mod list;
pub(crate) mod preview;
pub(crate) mod vt_view;

/// Lower-case, accents removed: "Étienne" and "etienne" match (the core's folding).
pub(crate) use portail::present::fold;
