// Command iconsgen draws Broadsheet's app icons as PNG files: a folded
// broadsheet page (headline, columns of text, a picture) on the theme's
// navy. It writes icon-192.png and icon-512.png (rounded square, for
// "any") and icon-maskable-512.png (full bleed, the drawing inside the
// maskable safe zone, the central circle of 80% diameter).
//
//	go run ./app/internal/iconsgen -out web/icons
//
// The drawing is the same as web/icon.svg, in its 512-unit coordinates.
package main

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
)

// Colours of the theme (app/site.go and web/app.css).
var (
	navy  = color.NRGBA{0x1f, 0x2a, 0x44, 0xff}
	paper = color.NRGBA{0xfb, 0xfa, 0xf7, 0xff}
	grey  = color.NRGBA{0x8a, 0x8f, 0x99, 0xff}
	gold  = color.NRGBA{0xc9, 0xa2, 0x27, 0xff}
)

// rect is a rounded rectangle in 512-unit coordinates.
type rect struct {
	x, y, w, h, r float64
	c             color.NRGBA
}

// page is the broadsheet drawn on the background, back to front.
var page = []rect{
	{112, 104, 288, 304, 16, paper},
	{144, 144, 224, 40, 6, navy},
	{144, 212, 100, 12, 6, grey},
	{144, 240, 100, 12, 6, grey},
	{144, 268, 100, 12, 6, grey},
	{144, 296, 100, 12, 6, grey},
	{144, 324, 100, 12, 6, grey},
	{268, 212, 100, 124, 6, gold},
	{144, 356, 224, 12, 6, grey},
}

// icon says how one file is drawn.
type icon struct {
	name     string
	size     int
	maskable bool
}

var icons = []icon{
	{"icon-192.png", 192, false},
	{"icon-512.png", 512, false},
	{"icon-maskable-512.png", 512, true},
}

func main() {
	out := flag.String("out", "web/icons", "directory the PNG files are written to")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fatal(err)
	}
	for _, ic := range icons {
		if err := writePNG(filepath.Join(*out, ic.name), draw(ic)); err != nil {
			fatal(err)
		}
	}
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "iconsgen:", err)
	os.Exit(1)
}

// draw renders one icon. A maskable icon has a square background and its
// drawing scaled by 0.8 around the centre, inside the safe zone.
func draw(ic icon) *image.NRGBA {
	bg := rect{0, 0, 512, 512, 96, navy}
	scale := 1.0
	if ic.maskable {
		bg.r = 0
		scale = 0.8
	}
	shapes := []rect{bg}
	for _, r := range page {
		shapes = append(shapes, scaled(r, scale))
	}
	img := image.NewNRGBA(image.Rect(0, 0, ic.size, ic.size))
	unit := 512 / float64(ic.size)
	for y := 0; y < ic.size; y++ {
		for x := 0; x < ic.size; x++ {
			img.SetNRGBA(x, y, pixel(shapes, float64(x)*unit, float64(y)*unit, unit))
		}
	}
	return img
}

// scaled is r scaled by s around the centre of the icon.
func scaled(r rect, s float64) rect {
	return rect{256 + (r.x-256)*s, 256 + (r.y-256)*s, r.w * s, r.h * s, r.r * s, r.c}
}

// samples is the number of subsamples per pixel side (anti-aliasing).
const samples = 4

// pixel is the colour of the pixel whose top left corner is (x, y) and
// side unit: the shapes composited over transparency at each subsample,
// averaged.
func pixel(shapes []rect, x, y, unit float64) color.NRGBA {
	var r, g, b, a float64
	for i := 0; i < samples; i++ {
		for j := 0; j < samples; j++ {
			px := x + (float64(i)+0.5)*unit/samples
			py := y + (float64(j)+0.5)*unit/samples
			if c, ok := top(shapes, px, py); ok {
				r += float64(c.R)
				g += float64(c.G)
				b += float64(c.B)
				a++
			}
		}
	}
	if a == 0 {
		return color.NRGBA{}
	}
	return color.NRGBA{uint8(r/a + 0.5), uint8(g/a + 0.5), uint8(b/a + 0.5), uint8(a*255/(samples*samples) + 0.5)}
}

// top is the colour of the last shape containing (x, y).
func top(shapes []rect, x, y float64) (color.NRGBA, bool) {
	for i := len(shapes) - 1; i >= 0; i-- {
		if shapes[i].contains(x, y) {
			return shapes[i].c, true
		}
	}
	return color.NRGBA{}, false
}

// contains reports whether (x, y) is inside the rounded rectangle.
func (r rect) contains(x, y float64) bool {
	if x < r.x || y < r.y || x >= r.x+r.w || y >= r.y+r.h {
		return false
	}
	cx := min(max(x, r.x+r.r), r.x+r.w-r.r)
	cy := min(max(y, r.y+r.r), r.y+r.h-r.r)
	dx, dy := x-cx, y-cy
	return dx*dx+dy*dy <= r.r*r.r
}

// writePNG writes img to name.
func writePNG(name string, img image.Image) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
