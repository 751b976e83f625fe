//! Uploaded images (avatars, logos): decoded under explicit limits, off the async
//! runtime, panics contained, then re-encoded to a normalized PNG so what is served is
//! always ours, never the uploaded bytes.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, ImageReader, Limits};

use crate::i18n::Key;

/// Largest accepted dimension (pixels) and decoder allocation.
pub const MAX_DIMENSION: u32 = 8_000;
pub const MAX_ALLOC: u64 = 256 * 1024 * 1024;
pub const AVATAR_SIZE: u32 = 256;
pub const LOGO_BOX: (u32, u32) = (512, 256);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    /// Square, cropped to the centre.
    Avatar,
    /// Fitted into a bounding box, aspect kept.
    Logo,
}

/// Why an image is refused (each maps to a clear message and an HTTP status).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageError {
    /// Not an image we accept (magic bytes are not PNG, JPEG, GIF or WebP): 415.
    NotAnImage,
    /// Dimensions or memory over the limits (decompression bomb): 413.
    TooLarge,
    /// Truncated or corrupt: 422.
    Corrupt,
}

impl ImageError {
    pub fn key(self) -> Key {
        match self {
            ImageError::NotAnImage => Key::ImgNotAnImage,
            ImageError::TooLarge => Key::ImgTooLarge,
            ImageError::Corrupt => Key::ImgCorrupt,
        }
    }
}

fn decode(bytes: &[u8]) -> Result<DynamicImage, ImageError> {
    let format = image::guess_format(bytes).map_err(|_| ImageError::NotAnImage)?;
    if !matches!(
        format,
        ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::Gif | ImageFormat::WebP
    ) {
        return Err(ImageError::NotAnImage);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => ImageError::TooLarge,
        image::ImageError::Unsupported(_) => ImageError::NotAnImage,
        _ => ImageError::Corrupt,
    })
}

/// Decodes and re-encodes as PNG. Blocking: call from `spawn_blocking` (see `normalize`).
pub fn normalize_blocking(bytes: &[u8], kind: ImageKind) -> Result<Vec<u8>, ImageError> {
    let img = decode(bytes)?;
    let out = match kind {
        ImageKind::Avatar => {
            let side = img.width().min(img.height());
            let x = (img.width() - side) / 2;
            let y = (img.height() - side) / 2;
            img.crop_imm(x, y, side, side).resize_exact(
                AVATAR_SIZE,
                AVATAR_SIZE,
                image::imageops::FilterType::Triangle,
            )
        }
        ImageKind::Logo => {
            if img.width() > LOGO_BOX.0 || img.height() > LOGO_BOX.1 {
                img.resize(
                    LOGO_BOX.0,
                    LOGO_BOX.1,
                    image::imageops::FilterType::Triangle,
                )
            } else {
                img
            }
        }
    };
    let mut png = Vec::new();
    out.to_rgba8()
        .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
        .map_err(|_| ImageError::Corrupt)?;
    Ok(png)
}

/// At most two decodes at once (each may allocate up to `MAX_ALLOC`).
static DECODES: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// `normalize_blocking` off the async runtime, bounded, with any decoder panic contained.
pub async fn normalize(bytes: Vec<u8>, kind: ImageKind) -> Result<Vec<u8>, ImageError> {
    let Ok(_permit) = DECODES.acquire().await else {
        return Err(ImageError::Corrupt);
    };
    tokio::task::spawn_blocking(move || {
        std::panic::catch_unwind(|| normalize_blocking(&bytes, kind))
            .unwrap_or(Err(ImageError::Corrupt))
    })
    .await
    .unwrap_or(Err(ImageError::Corrupt))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    /// A valid tiny PNG whose header declares `w`×`h` (a decompression bomb).
    pub(crate) fn bomb(w: u32, h: u32) -> Vec<u8> {
        let mut p = png(1, 1);
        // IHDR width/height live at bytes 16..24; fix the CRC after them.
        p[16..20].copy_from_slice(&w.to_be_bytes());
        p[20..24].copy_from_slice(&h.to_be_bytes());
        let crc = crc32(&p[12..29]);
        p[29..33].copy_from_slice(&crc.to_be_bytes());
        p
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut c = 0xffff_ffffu32;
        for &b in data {
            c ^= b as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xedb8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }

    #[tokio::test]
    async fn avatars_are_square_pngs_and_logos_fit_the_box() {
        let a = normalize(png(300, 200), ImageKind::Avatar).await.unwrap();
        let img = image::load_from_memory(&a).unwrap();
        assert_eq!((img.width(), img.height()), (AVATAR_SIZE, AVATAR_SIZE));
        let l = normalize(png(1024, 1024), ImageKind::Logo).await.unwrap();
        let img = image::load_from_memory(&l).unwrap();
        assert!(img.width() <= 512 && img.height() <= 256);
    }

    #[tokio::test]
    async fn bombs_lies_and_truncation_are_refused() {
        assert_eq!(
            normalize(bomb(60_000, 60_000), ImageKind::Avatar).await,
            Err(ImageError::TooLarge)
        );
        assert_eq!(
            normalize(b"%PDF-1.4 not an image".to_vec(), ImageKind::Avatar).await,
            Err(ImageError::NotAnImage)
        );
        assert!(
            normalize(b"GIF89a".to_vec(), ImageKind::Avatar)
                .await
                .is_err()
        );
        let mut jpeg = Vec::new();
        image::RgbImage::new(64, 64)
            .write_to(&mut Cursor::new(&mut jpeg), ImageFormat::Jpeg)
            .unwrap();
        jpeg.truncate(jpeg.len() / 3);
        assert!(normalize(jpeg, ImageKind::Avatar).await.is_err());
    }
}
