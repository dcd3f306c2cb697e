"""九龙坡区协同育人资源图谱: a static atlas of educational resources built from one CSV."""
