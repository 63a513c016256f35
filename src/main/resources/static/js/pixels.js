// Pictures of examples and statistics: image-shaped arrays drawn on <canvas>, pixel by pixel.
// A canvas holds one pixel per value; CSS enlarges it without smoothing (.pixels).

import {h, num} from './dom.js';

/**
 * {channels, height, width} when a feature shape is an image ([H, W] or [C, H, W] with
 * C of 1, 3 or 4), else null (tabular data such as [features]).
 */
export function imageShape(shape) {
  if (!Array.isArray(shape)) return null;
  if (shape.length === 2 && shape[0] > 1 && shape[1] > 1) return {channels: 1, height: shape[0], width: shape[1]};
  if (shape.length === 3 && [1, 3, 4].includes(shape[0]) && shape[1] > 1 && shape[2] > 1) {
    return {channels: shape[0], height: shape[1], width: shape[2]};
  }
  return null;
}

/** The smallest and largest finite value of an array (or of several). */
export function range(...arrays) {
  let min = Infinity;
  let max = -Infinity;
  for (const values of arrays) {
    for (const v of values) {
      if (Number.isFinite(v)) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
  }
  return min <= max ? {min, max} : {min: 0, max: 1};
}

/**
 * Draws `values` (row-major over [C, H, W]) on `canvas`, mapping min → black and max → white
 * per channel; one channel is grey, three or four are RGB.
 */
export function draw(canvas, values, image, {min, max}) {
  const {channels, height, width} = image;
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  const data = context.createImageData(width, height);
  const scale = max > min ? 255 / (max - min) : 0;
  const plane = height * width;
  for (let p = 0; p < plane; p++) {
    const o = 4 * p;
    if (channels === 1) {
      const g = (values[p] - min) * scale;
      data.data[o] = g;
      data.data[o + 1] = g;
      data.data[o + 2] = g;
    } else {
      for (let c = 0; c < 3; c++) data.data[o + c] = (values[c * plane + p] - min) * scale;
    }
    data.data[o + 3] = 255;
  }
  context.putImageData(data, 0, 0);
  return canvas;
}

/** A new canvas showing an image; `label` becomes its accessible name. */
export function picture(values, image, valueRange, label, className = 'pixels') {
  const canvas = h('canvas', {class: className, role: 'img', 'aria-label': label});
  return draw(canvas, values, image, valueRange);
}

/** A grey ramp from black to white with the values at both ends: the legend of a picture. */
export function legend({min, max}, caption) {
  const ramp = h('canvas', {class: 'ramp', width: 128, height: 1, 'aria-hidden': 'true'});
  const context = ramp.getContext('2d');
  const gradient = context.createLinearGradient(0, 0, 128, 0);
  gradient.addColorStop(0, '#000');
  gradient.addColorStop(1, '#fff');
  context.fillStyle = gradient;
  context.fillRect(0, 0, 128, 1);
  return h('p', {class: 'legend'},
    h('span', {class: 'sr-only'}, `${caption}: black is ${num(min)}, white is ${num(max)}.`),
    h('span', {'aria-hidden': 'true'}, num(min)), ramp, h('span', {'aria-hidden': 'true'}, num(max)));
}

/**
 * An image file (any format the browser decodes) as greyscale values in [0, 255], scaled to
 * height × width (aspect ratio kept, centred on black), optionally inverted (dark strokes on a
 * light background become light on dark, as in MNIST-like data).
 */
export async function imageFileToGrey(file, height, width, invert) {
  const bitmap = await createImageBitmap(file);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  context.fillStyle = invert ? '#fff' : '#000';
  context.fillRect(0, 0, width, height);
  const scale = Math.min(width / bitmap.width, height / bitmap.height);
  const w = bitmap.width * scale;
  const hh = bitmap.height * scale;
  context.drawImage(bitmap, (width - w) / 2, (height - hh) / 2, w, hh);
  bitmap.close();
  const {data} = context.getImageData(0, 0, width, height);
  const grey = new Array(width * height);
  for (let p = 0; p < grey.length; p++) {
    const y = 0.299 * data[4 * p] + 0.587 * data[4 * p + 1] + 0.114 * data[4 * p + 2];
    grey[p] = Math.round(invert ? 255 - y : y);
  }
  return grey;
}
