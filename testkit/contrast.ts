/// <reference lib="dom" />
// page.evaluate() callbacks run in the browser: DOM types for them.
import type { Page } from 'playwright-core';

export interface LowContrast {
  text: string;
  ratio: number;
  color: string;
  background: string;
}

/**
 * Every visible text on the page whose contrast with what is behind it is below `min`
 * (WCAG 2's ratio of relative luminances, 1.4.3: 4.5 for body text). The background is found by
 * compositing the element's ancestors' background colours, translucent ones included; disabled
 * controls are exempt, as WCAG exempts inactive components; text clipped to 1 px (for screen
 * readers only) is not seen, so not checked. Text over images is not checked
 * (the app has none).
 */
export function lowContrast(page: Page, min = 4.5): Promise<LowContrast[]> {
  return contrastOf(page, min, 'text');
}

/**
 * Every visible text field, text area, select and search box whose boundary is below 3:1
 * against what is around it (WCAG 2.1, 1.4.11 Non-text Contrast: the visual information that
 * identifies a control): its border if it has one, else its fill, against the background behind it.
 */
export function lowControlContrast(page: Page, min = 3): Promise<LowContrast[]> {
  return contrastOf(page, min, 'controls');
}

function contrastOf(page: Page, min: number, what: 'text' | 'controls'): Promise<LowContrast[]> {
  return page.evaluate(([min, what]) => {
    type Rgba = [number, number, number, number];
    const parse = (css: string): Rgba => {
      const m = css.match(/rgba?\(([^)]+)\)/);
      if (!m) return [0, 0, 0, 0];
      const [r, g, b, a = '1'] = m[1]!.split(/[\s,/]+/).filter(Boolean);
      return [Number(r), Number(g), Number(b), Number(a)];
    };
    const over = (top: Rgba, bottom: Rgba): Rgba => {
      const a = top[3];
      return [top[0] * a + bottom[0] * (1 - a), top[1] * a + bottom[1] * (1 - a), top[2] * a + bottom[2] * (1 - a), 1];
    };
    const luminance = ([r, g, b]: Rgba) => {
      const lin = (c: number) => ((c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const backgroundOf = (el: Element): Rgba => {
      const layers: Rgba[] = [];
      for (let e: Element | null = el; e; e = e.parentElement) {
        const bg = parse(getComputedStyle(e).backgroundColor);
        if (bg[3] > 0) layers.push(bg);
        if (bg[3] >= 1) break;
      }
      // The canvas behind everything is white unless the root paints it.
      let result: Rgba = [255, 255, 255, 1];
      for (const layer of layers.reverse()) result = over(layer, result);
      return result;
    };
    const found: { text: string; ratio: number; color: string; background: string }[] = [];
    const ratioOf = (a: Rgba, b: Rgba) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
      return (hi + 0.05) / (lo + 0.05);
    };
    if (what === 'controls') {
      for (const el of document.querySelectorAll('input:not([type=hidden]):not([type=checkbox]):not([type=radio]), textarea, select, .search')) {
        const rect = el.getBoundingClientRect();
        if (rect.width <= 1 || rect.height <= 1 || (el.closest('.search') && el !== el.closest('.search'))) continue;
        const style = getComputedStyle(el);
        const around = el.parentElement ? backgroundOf(el.parentElement) : ([0, 0, 0, 1] as Rgba);
        const fill = over(parse(style.backgroundColor), around);
        const border = Number.parseFloat(style.borderTopWidth) > 0 ? over(parse(style.borderTopColor), around) : fill;
        const ratio = Math.max(ratioOf(border, around), ratioOf(fill, around));
        if (ratio < min) found.push({ text: `${el.tagName.toLowerCase()}${el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : ''}${el.className ? `.${String(el.className).split(' ')[0]}` : ''}`, ratio: Math.round(ratio * 100) / 100, color: style.borderTopColor, background: `rgb(${around.slice(0, 3).map(Math.round).join(', ')})` });
      }
      return found;
    }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Set<Element>();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || seen.has(el) || !n.textContent?.trim()) continue;
      seen.add(el);
      const rect = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (rect.width <= 1 || rect.height <= 1 || style.visibility === 'hidden' || el.closest(':disabled, option')) continue;
      const bg = backgroundOf(el);
      const fg = over(parse(style.color), bg);
      const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a) as [number, number];
      const ratio = (hi + 0.05) / (lo + 0.05);
      if (ratio < min) found.push({ text: n.textContent.trim().slice(0, 40), ratio: Math.round(ratio * 100) / 100, color: style.color, background: `rgb(${bg.slice(0, 3).map(Math.round).join(', ')})` });
    }
    return found;
  }, [min, what] as const);
}
