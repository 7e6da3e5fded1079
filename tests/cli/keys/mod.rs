//! The studio's keys: CA, operators, certifiers, hygiene.

mod studio;
