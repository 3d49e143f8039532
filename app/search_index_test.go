package main

import "testing"

func TestMarkedText(t *testing.T) {
	text := "夜间公交试行，夜间线路"
	ui := markedText(text, [][2]int{{0, 12}, {6, 12}, {21, 27}, {40, 50}})
	if len(ui) != 4 {
		t.Fatalf("markedText: %d nodes, want 4 (mark, text, mark, text)", len(ui))
	}
}
