//! The kinds of map layer. Its own module so that both the styles and the layers can name a
//! kind without importing each other.

/// What a layer holds; decides its style, its draw order and how it is hit-tested.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LayerKind {
    Land,
    Countries,
    Lakes,
    Rivers,
    Coastline,
    Borders,
    Rail,
    RailPoints,
    Ports,
    Cities,
    /// A user's GeoJSON, styled by its simplestyle-spec properties.
    Imported,
}

impl LayerKind {
    /// Every kind, bottom to top in draw order.
    pub const ALL: [LayerKind; 11] = [
        LayerKind::Land,
        LayerKind::Countries,
        LayerKind::Lakes,
        LayerKind::Rivers,
        LayerKind::Coastline,
        LayerKind::Borders,
        LayerKind::Rail,
        LayerKind::RailPoints,
        LayerKind::Ports,
        LayerKind::Cities,
        LayerKind::Imported,
    ];

    /// Whether polygons of this kind are filled (so the LOD keeps triangulations).
    #[must_use]
    pub fn fills_polygons(self) -> bool {
        matches!(
            self,
            LayerKind::Land | LayerKind::Countries | LayerKind::Lakes | LayerKind::Imported
        )
    }
}
