"""Posts: things for sale, their images, and the dibs queue on each."""
