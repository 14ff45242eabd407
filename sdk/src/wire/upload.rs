//! File parts of multipart requests (`format: binary`).

use std::fmt;
use std::path::PathBuf;

use bytes::Bytes;

use crate::client::MultipartPart;

/// A file to upload: its bytes (or a path to read them from), a filename and a content type.
#[derive(Clone)]
pub struct UploadFile {
    pub(crate) filename: Option<String>,
    pub(crate) content_type: Option<String>,
    pub(crate) source: UploadSource,
}

#[derive(Clone)]
pub(crate) enum UploadSource {
    Bytes(Bytes),
    Path(PathBuf),
}

impl UploadFile {
    /// A file from bytes in memory.
    pub fn from_bytes(filename: impl Into<String>, bytes: impl Into<Bytes>) -> Self {
        UploadFile {
            filename: Some(filename.into()),
            content_type: None,
            source: UploadSource::Bytes(bytes.into()),
        }
    }

    /// A file read from `reader` now, into memory (so that a retried request can send it
    /// again).
    pub fn from_reader(
        filename: impl Into<String>,
        mut reader: impl std::io::Read,
    ) -> std::io::Result<Self> {
        let mut buf = Vec::new();
        reader.read_to_end(&mut buf)?;
        Ok(UploadFile::from_bytes(filename, buf))
    }

    /// The multipart part carrying this file under the field `name`.
    pub(crate) fn to_part(&self, name: &str) -> MultipartPart {
        let mut part = match &self.source {
            UploadSource::Bytes(b) => {
                MultipartPart::bytes(name, self.filename.clone().unwrap_or_default(), b.clone())
            }
            UploadSource::Path(p) => MultipartPart::file(name, p.clone()),
        };
        if let Some(filename) = &self.filename {
            part = part.filename(filename.clone());
        }
        if let Some(content_type) = &self.content_type {
            part = part.content_type(content_type.clone());
        }
        part
    }

    /// A file read from `path` when the request is sent; the filename is the path's last component.
    pub fn from_path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let filename = path.file_name().map(|n| n.to_string_lossy().into_owned());
        UploadFile {
            filename,
            content_type: None,
            source: UploadSource::Path(path),
        }
    }

    /// Sets the filename sent in the part's `Content-Disposition`.
    pub fn filename(mut self, filename: impl Into<String>) -> Self {
        self.filename = Some(filename.into());
        self
    }

    /// Sets the part's `Content-Type` (guessed from the filename when not set).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

impl fmt::Debug for UploadFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("UploadFile");
        d.field("filename", &self.filename)
            .field("content_type", &self.content_type);
        match &self.source {
            UploadSource::Bytes(b) => d.field("bytes", &b.len()),
            UploadSource::Path(p) => d.field("path", p),
        };
        d.finish()
    }
}

impl PartialEq for UploadFile {
    fn eq(&self, other: &Self) -> bool {
        self.filename == other.filename
            && self.content_type == other.content_type
            && match (&self.source, &other.source) {
                (UploadSource::Bytes(a), UploadSource::Bytes(b)) => a == b,
                (UploadSource::Path(a), UploadSource::Path(b)) => a == b,
                _ => false,
            }
    }
}
