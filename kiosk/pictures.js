// Product pictures: the catalog's own picture where it has one (served by the hub, kept by the service
// worker as it is first shown), else a pictogram of the product's category drawn for the kiosk. A picture
// that cannot be had (gone from the hub, or never kept before an outage) gives way to the pictogram.

// One file per category of config/catalog.csv in kiosk/pictograms/; any other category is "other".
export const PICTOGRAMS = new Set([
  "3d-printing", "ai", "beauty", "defence", "drone", "eco", "education", "food", "health", "iot", "kitchen",
  "office", "robot", "safety", "stationery", "textile", "tools",
]);

export function pictogramOf(category) {
  return `/kiosk/pictograms/${PICTOGRAMS.has(category) ? category : "other"}.svg`;
}

/** Show `product`'s picture in `img` (an <img> a windowed grid reuses for other products). */
export function showPicture(img, product) {
  const pictogram = pictogramOf(product.category);
  const wanted = product.image || pictogram;
  img.dataset.kind = product.image ? "picture" : "pictogram";
  if (img.getAttribute("src") === wanted) return;
  img.onerror = product.image ? () => {
    // Only if the cell still shows this product: a recycled cell may have moved on.
    if (img.getAttribute("src") !== wanted) return;
    img.dataset.kind = "pictogram";
    img.onerror = null;
    img.src = pictogram;
  } : null;
  img.src = wanted;
}
