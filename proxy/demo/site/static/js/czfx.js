/* 字号调整 */
function czfxfontzoom(size) {
  var zoom = document.getElementById('zoom');
  if (!zoom) { return; }
  zoom.style.fontSize = size + 'px';
  zoom.style.lineHeight = (size * 2) + 'px';
  var items = zoom.getElementsByTagName('*');
  for (var i = 0; i < items.length; i++) { items[i].style.fontSize = size + 'px'; }
}
