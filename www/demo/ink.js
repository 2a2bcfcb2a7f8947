// Pad pixels to the ink `digitFeatures` takes: one value in 0..1 per pixel, row-major, 1 = ink. The pad draws opaque
// strokes on a transparent canvas, so a pixel's ink is its alpha (antialiased edges give partial ink).

/**
 * @param {Uint8ClampedArray} rgba ImageData.data: 4 bytes per pixel
 * @param {number} width
 * @param {number} height
 * @returns {Float32Array}
 */
export function inkFromRgba(rgba, width, height) {
  if (rgba.length !== width * height * 4) throw new RangeError(`expected ${width * height * 4} bytes of RGBA, got ${rgba.length}`);
  const ink = new Float32Array(width * height);
  for (let i = 0; i < ink.length; i += 1) ink[i] = rgba[i * 4 + 3] / 255;
  return ink;
}

/**
 * A point of a pointer event in pad pixels (the canvas is drawn at its logical size and scaled up by CSS).
 * @param {{ clientX: number, clientY: number }} event
 * @param {{ left: number, top: number, width: number, height: number }} box the canvas' bounding client rect
 * @param {number} size the pad's logical width and height
 * @returns {{ x: number, y: number }}
 */
export function padPoint(event, box, size) {
  return { x: ((event.clientX - box.left) / box.width) * size, y: ((event.clientY - box.top) / box.height) * size };
}
