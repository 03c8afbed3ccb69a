function writeFooter() {
  document.write('<div class="footer">' +
    '<p>主办：示范市人民政府办公室　承办：示范市大数据中心</p>' +
    '<p>网站标识码：3204000001　备案号：苏ICP备05000001号</p>' +
    '</div>');
}
writeFooter();
