package bench

import (
	"context"
	"errors"
)

func runNodes(ctx context.Context, c Config) (Summary, error) {
	return Summary{}, errors.New("todo")
}
