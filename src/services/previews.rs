//! Small colour previews of avatars and logos for the terminal: the stored PNG (always
//! ours, normalized at upload) decoded off the runtime and downsampled to a grid of RGB
//! pixels that the TUI draws with half-block cells (two pixels per cell, one above the
//! other). The TUI does no I/O and no decoding: it only gets the grid.

use std::io::{Cursor, Read};

use image::imageops::FilterType;
use image::{DynamicImage, ImageFormat, ImageReader, Limits};

use super::Portail;
use super::guard::require_trainer;
use crate::domain::{Actor, Role};
use crate::{Error, Result};

/// Pixels of an avatar preview (square): 16×8 cells.
pub const AVATAR_PREVIEW: (u32, u32) = (16, 16);
/// The box a logo preview fits in, aspect kept: at most 32×8 cells.
pub const LOGO_PREVIEW: (u32, u32) = (32, 16);
/// Stored images are small normalized PNGs; anything larger is not ours.
const MAX_STORED_BYTES: u64 = 8 * 1024 * 1024;

/// A small RGB picture, row-major, `height` even (two pixel rows per terminal line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    pub width: u16,
    pub height: u16,
    pub pixels: Vec<[u8; 3]>,
}

impl Picture {
    /// The pixel at (`x`, `y`); white outside the picture.
    pub fn pixel(&self, x: u16, y: u16) -> [u8; 3] {
        if x >= self.width || y >= self.height {
            return [255, 255, 255];
        }
        self.pixels
            .get(y as usize * self.width as usize + x as usize)
            .copied()
            .unwrap_or([255, 255, 255])
    }

    /// Terminal lines the picture takes (two pixel rows each).
    pub fn rows(&self) -> u16 {
        self.height / 2
    }
}

/// Decodes a PNG (explicit limits) and fits it in `max` pixels, aspect kept, transparent
/// parts over white; an odd height gets a white bottom row. `None` when it does not decode.
/// Blocking: call off the runtime.
pub fn picture_from_png(bytes: &[u8], max: (u32, u32)) -> Option<Picture> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), ImageFormat::Png);
    let mut limits = Limits::default();
    limits.max_image_width = Some(crate::images::MAX_DIMENSION);
    limits.max_image_height = Some(crate::images::MAX_DIMENSION);
    limits.max_alloc = Some(64 * 1024 * 1024);
    reader.limits(limits);
    let img: DynamicImage = reader.decode().ok()?;
    if img.width() == 0 || img.height() == 0 {
        return None;
    }
    let small = img.resize(max.0.max(1), max.1.max(2), FilterType::Triangle);
    let rgba = small.to_rgba8();
    let (w, h) = (rgba.width() as u16, rgba.height() as u16);
    let height = h + h % 2;
    let mut pixels = Vec::with_capacity(w as usize * height as usize);
    for y in 0..height as u32 {
        for x in 0..w as u32 {
            if y >= h as u32 {
                pixels.push([255, 255, 255]);
                continue;
            }
            let p = rgba.get_pixel(x, y).0;
            let a = p[3] as u32;
            let over = |c: u8| ((c as u32 * a + 255 * (255 - a)) / 255) as u8;
            pixels.push([over(p[0]), over(p[1]), over(p[2])]);
        }
    }
    Some(Picture {
        width: w,
        height,
        pixels,
    })
}

impl Portail {
    /// Reads a stored image and makes its preview, off the runtime, panics contained.
    /// Any failure (file gone, not decodable) is "no preview", never an error.
    async fn stored_preview(&self, storage_name: String, max: (u32, u32)) -> Option<Picture> {
        let store = self.files().clone();
        tokio::task::spawn_blocking(move || {
            let f = store.open_file(&storage_name).ok()?;
            let mut bytes = Vec::new();
            f.take(MAX_STORED_BYTES).read_to_end(&mut bytes).ok()?;
            std::panic::catch_unwind(|| picture_from_png(&bytes, max)).ok()?
        })
        .await
        .ok()?
    }

    /// The preview of a user's avatar: their own, or any student's for a trainer.
    pub async fn avatar_preview(&self, actor: &Actor, user: i64) -> Result<Option<Picture>> {
        if actor.must_change_password {
            return Err(Error::PasswordChangeRequired);
        }
        if actor.user_id != user && actor.role != Role::Trainer {
            return Err(Error::Forbidden);
        }
        Ok(match self.avatar_name(user).await? {
            Some(name) => self.stored_preview(name, AVATAR_PREVIEW).await,
            None => None,
        })
    }

    /// The preview of an organisation's logo (aspect kept). Trainer only.
    pub async fn org_logo_preview(&self, actor: &Actor, org: i64) -> Result<Option<Picture>> {
        require_trainer(actor)?;
        self.org_get(actor, org).await?;
        let name: Option<String> = sqlx::query_scalar(
            "SELECT f.storage_name FROM organisations o JOIN stored_files f ON f.id = o.logo_file_id \
             WHERE o.id = ?1",
        )
        .bind(org)
        .fetch_optional(self.pool())
        .await?;
        Ok(match name {
            Some(name) => self.stored_preview(name, LOGO_PREVIEW).await,
            None => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32, f: impl Fn(u32, u32) -> image::Rgba<u8>) -> Vec<u8> {
        let img = image::RgbaImage::from_fn(w, h, f);
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn avatar_is_downsampled_to_a_square_grid() {
        // Top half red, bottom half blue.
        let bytes = png(256, 256, |_, y| {
            if y < 128 {
                image::Rgba([255, 0, 0, 255])
            } else {
                image::Rgba([0, 0, 255, 255])
            }
        });
        let p = picture_from_png(&bytes, AVATAR_PREVIEW).unwrap();
        assert_eq!((p.width, p.height, p.rows()), (16, 16, 8));
        assert_eq!(p.pixels.len(), 256);
        assert_eq!(p.pixel(3, 0), [255, 0, 0]);
        assert_eq!(p.pixel(3, 15), [0, 0, 255]);
        assert_eq!(p.pixel(99, 0), [255, 255, 255]);
    }

    #[test]
    fn logo_keeps_its_aspect_and_an_even_height() {
        let bytes = png(512, 128, |_, _| image::Rgba([0, 128, 0, 255]));
        let p = picture_from_png(&bytes, LOGO_PREVIEW).unwrap();
        assert_eq!((p.width, p.height), (32, 8));
        // 3:1 gives 32×11 (rounded), padded to 12 with a white row.
        let bytes = png(300, 100, |_, _| image::Rgba([0, 128, 0, 255]));
        let p = picture_from_png(&bytes, LOGO_PREVIEW).unwrap();
        assert_eq!(p.width, 32);
        assert_eq!(p.height % 2, 0);
        assert_eq!(p.pixel(0, p.height - 1), [255, 255, 255]);
        assert_eq!(p.pixel(0, 0), [0, 128, 0]);
    }

    #[test]
    fn transparency_is_over_white_and_garbage_is_no_preview() {
        let bytes = png(4, 4, |_, _| image::Rgba([0, 0, 0, 0]));
        let p = picture_from_png(&bytes, AVATAR_PREVIEW).unwrap();
        assert!(p.pixels.iter().all(|c| *c == [255, 255, 255]));
        assert!(picture_from_png(b"not a png", AVATAR_PREVIEW).is_none());
        assert!(picture_from_png(&bytes[..20], AVATAR_PREVIEW).is_none());
    }
}
