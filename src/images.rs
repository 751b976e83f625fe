//! Uploaded images (avatars, logos): decoded under explicit limits, off the async
//! runtime, panics contained, then re-encoded to a normalized PNG so what is served is
//! always ours, never the uploaded bytes.
//!
//! Memory is bounded before any pixel is decoded: the header is read first, and an image
//! over [`MAX_DIMENSION`] on a side or over the pixel limit (width × height, default
//! [`DEFAULT_MAX_PIXELS`], configurable) is refused unread; the decoded buffer may take
//! at most 4 bytes per allowed pixel (160 MB at 40 megapixels: 8-bit RGBA at full size,
//! 16-bit images at half). Cropping and resizing then work on views of that buffer (no
//! full-size copy), and at most [`MAX_CONCURRENT_DECODES`] decodes run at once.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, ImageReader, Limits};

use crate::i18n::Key;

/// Largest accepted dimension (pixels).
pub const MAX_DIMENSION: u32 = 8_000;
/// Default largest image decoded, in pixels (width × height): 40 megapixels.
pub const DEFAULT_MAX_PIXELS: u64 = 40_000_000;
/// Bytes the decoded image may take per allowed pixel.
pub const BYTES_PER_PIXEL: u64 = 4;
/// Decodes running at once (each within its pixel limit).
pub const MAX_CONCURRENT_DECODES: usize = 2;
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

fn decode(bytes: &[u8], max_pixels: u64) -> Result<DynamicImage, ImageError> {
    use image::ImageDecoder;
    let format = image::guess_format(bytes).map_err(|_| ImageError::NotAnImage)?;
    if !matches!(
        format,
        ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::Gif | ImageFormat::WebP
    ) {
        return Err(ImageError::NotAnImage);
    }
    let max_alloc = max_pixels.saturating_mul(BYTES_PER_PIXEL);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    limits.max_alloc = Some(max_alloc);
    reader.limits(limits);
    let classify = |e: image::ImageError| match e {
        image::ImageError::Limits(_) => ImageError::TooLarge,
        image::ImageError::Unsupported(_) => ImageError::NotAnImage,
        _ => ImageError::Corrupt,
    };
    // The header only: nothing is decoded (nor allocated for pixels) before these checks.
    let decoder = reader.into_decoder().map_err(classify)?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > max_pixels || decoder.total_bytes() > max_alloc {
        return Err(ImageError::TooLarge);
    }
    DynamicImage::from_decoder(decoder).map_err(classify)
}

/// The centred square of `img`, resized to `side`: a view is resized, never a copy of
/// the full-size crop.
fn square(img: &DynamicImage, side: u32) -> DynamicImage {
    use image::imageops::{FilterType, crop_imm, resize};
    let s = img.width().min(img.height());
    let (x, y) = ((img.width() - s) / 2, (img.height() - s) / 2);
    macro_rules! each {
        ($($variant:ident),*) => {
            match img {
                $(DynamicImage::$variant(b) => DynamicImage::from(resize(
                    &*crop_imm(b, x, y, s, s),
                    side,
                    side,
                    FilterType::Triangle,
                )),)*
                other => other
                    .crop_imm(x, y, s, s)
                    .resize_exact(side, side, FilterType::Triangle),
            }
        };
    }
    each!(
        ImageLuma8,
        ImageLumaA8,
        ImageRgb8,
        ImageRgba8,
        ImageLuma16,
        ImageLumaA16,
        ImageRgb16,
        ImageRgba16,
        ImageRgb32F,
        ImageRgba32F
    )
}

/// Decodes (within `max_pixels`) and re-encodes as PNG. Blocking: call from
/// `spawn_blocking` (see `normalize`).
pub fn normalize_blocking(
    bytes: &[u8],
    kind: ImageKind,
    max_pixels: u64,
) -> Result<Vec<u8>, ImageError> {
    let img = decode(bytes, max_pixels)?;
    let out = match kind {
        ImageKind::Avatar => square(&img, AVATAR_SIZE),
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

/// At most [`MAX_CONCURRENT_DECODES`] decodes at once, process-wide.
static DECODES: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(MAX_CONCURRENT_DECODES);

/// `normalize_blocking` off the async runtime, bounded, with any decoder panic contained.
pub async fn normalize(
    bytes: Vec<u8>,
    kind: ImageKind,
    max_pixels: u64,
) -> Result<Vec<u8>, ImageError> {
    let Ok(_permit) = DECODES.acquire().await else {
        return Err(ImageError::Corrupt);
    };
    tokio::task::spawn_blocking(move || {
        std::panic::catch_unwind(|| normalize_blocking(&bytes, kind, max_pixels))
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

    const MAX: u64 = DEFAULT_MAX_PIXELS;

    #[tokio::test]
    async fn avatars_are_square_pngs_and_logos_fit_the_box() {
        let a = normalize(png(300, 200), ImageKind::Avatar, MAX)
            .await
            .unwrap();
        let img = image::load_from_memory(&a).unwrap();
        assert_eq!((img.width(), img.height()), (AVATAR_SIZE, AVATAR_SIZE));
        // The centre is kept: in a 300×200 image, the square is x 50..250.
        let rgba = img.to_rgba8();
        let left = rgba.get_pixel(0, 128)[0];
        assert!((45..=60).contains(&left), "{left}");
        let l = normalize(png(1024, 1024), ImageKind::Logo, MAX)
            .await
            .unwrap();
        let img = image::load_from_memory(&l).unwrap();
        assert!(img.width() <= 512 && img.height() <= 256);
    }

    #[tokio::test]
    async fn bombs_lies_and_truncation_are_refused() {
        assert_eq!(
            normalize(bomb(60_000, 60_000), ImageKind::Avatar, MAX).await,
            Err(ImageError::TooLarge)
        );
        assert_eq!(
            normalize(b"%PDF-1.4 not an image".to_vec(), ImageKind::Avatar, MAX).await,
            Err(ImageError::NotAnImage)
        );
        assert!(
            normalize(b"GIF89a".to_vec(), ImageKind::Avatar, MAX)
                .await
                .is_err()
        );
        let mut jpeg = Vec::new();
        image::RgbImage::new(64, 64)
            .write_to(&mut Cursor::new(&mut jpeg), ImageFormat::Jpeg)
            .unwrap();
        jpeg.truncate(jpeg.len() / 3);
        assert!(normalize(jpeg, ImageKind::Avatar, MAX).await.is_err());
    }

    #[test]
    fn images_over_the_pixel_limit_are_refused_before_decoding() {
        // 8000 × 8000 (64 megapixels, 256 MB as RGBA) is within the side limit but over
        // the 40-megapixel default. The header lies (no pixel data follows): refused as
        // too large means it was refused before decoding anything.
        assert_eq!(
            normalize_blocking(&bomb(8_000, 8_000), ImageKind::Avatar, MAX),
            Err(ImageError::TooLarge)
        );
        assert_eq!(
            normalize_blocking(&bomb(8_000, 5_001), ImageKind::Logo, MAX),
            Err(ImageError::TooLarge)
        );
        // At the limit, the header passes and decoding starts (and finds no data).
        assert_eq!(
            normalize_blocking(&bomb(8_000, 5_000), ImageKind::Logo, MAX),
            Err(ImageError::Corrupt)
        );
        // The limit is the configured one.
        assert_eq!(
            normalize_blocking(&png(300, 200), ImageKind::Avatar, 50_000),
            Err(ImageError::TooLarge)
        );
        assert!(normalize_blocking(&png(300, 200), ImageKind::Avatar, 60_000).is_ok());
    }

    /// Peak memory of one decode (`cargo test -p portail --lib images::tests::probe --
    /// --ignored --nocapture`, alone in its process): VmHWM after the generated input is
    /// freed and the peak reset.
    #[test]
    #[ignore]
    fn probe_peak_memory_of_one_decode() {
        fn hwm_kib() -> u64 {
            let s = std::fs::read_to_string("/proc/self/status").unwrap();
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .unwrap()
                .trim()
                .trim_end_matches(" kB")
                .parse()
                .unwrap()
        }
        let (w, h) = (8_000u32, 5_000u32);
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("png rgba 8000x5000", {
                let img = image::RgbaImage::from_fn(w, h, |x, y| {
                    image::Rgba([(x % 256) as u8, (y % 256) as u8, 7, 255])
                });
                let mut out = Vec::new();
                img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
                    .unwrap();
                out
            }),
            ("jpeg rgb 8000x5000", {
                let img = image::RgbImage::from_fn(w, h, |x, y| {
                    image::Rgb([(x % 256) as u8, (y % 256) as u8, 7])
                });
                let mut out = Vec::new();
                img.write_to(&mut Cursor::new(&mut out), ImageFormat::Jpeg)
                    .unwrap();
                out
            }),
            ("png rgba 8000x8000 (refused)", bomb(8_000, 8_000)),
        ];
        for (name, bytes) in cases {
            std::fs::write("/proc/self/clear_refs", "5").unwrap();
            let base = hwm_kib();
            let r = normalize_blocking(&bytes, ImageKind::Avatar, MAX);
            println!(
                "{name}: {} KB upload, {:?}, peak +{} MB",
                bytes.len() / 1024,
                r.map(|p| p.len()),
                (hwm_kib() - base) / 1024
            );
        }
    }
}
