#![allow(dead_code)]
pub mod families;
pub mod fixtures;
pub mod docx;
