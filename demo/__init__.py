"""The bundled offline demo site: pages made from the seed bulletins, in real sites' templates."""
