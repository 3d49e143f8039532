package store_test

import (
	"testing"

	"github.com/broadsheet/broadsheet/app/store"
	"github.com/broadsheet/broadsheet/app/store/storetest"
)

func TestMemory(t *testing.T) {
	storetest.Test(t, func(t *testing.T, tables []string) store.Store {
		return store.NewMemory(tables...)
	})
}
