// 公共头部：修改后所有页面同步（模仿政府门户的 header.js）
document.writeln("<div class=\"header\">");
document.writeln("  <div class=\"logo\"><a href=\"/portal/index.html\">示范市人民政府门户网站</a></div>");
document.writeln("  <form class=\"search\" action=\"/search\" method=\"get\"><input name=\"q\" title=\"站内搜索\"> <input type=\"submit\" value=\"搜索\"></form>");
document.writeln("</div>");
document.writeln("<ul class=\"nav\">");
document.writeln("  <li><a href=\"/portal/index.html\">首页</a></li>");
document.writeln("  <li class=\"has-sub\"><a href=\"/col/col1234/index.html\">政务公开</a>");
document.writeln("    <ul class=\"sub\"><li><a href=\"/col/col1234/index.html\">政策文件</a></li><li><a href=\"/col/col1234/index.html\">政府信息公开年报</a></li></ul></li>");
document.writeln("  <li><a href=\"/portal/notice.html\">政务服务</a></li>");
document.writeln("  <li><a href=\"/liuyan\">互动交流</a></li>");
document.writeln("</ul>");
//document.writeln("<div class=\"old-banner\">旧版横幅</div>");
document.addEventListener("DOMContentLoaded", function () {
  var items = document.querySelectorAll(".nav .has-sub");
  for (var i = 0; i < items.length; i++) {
    items[i].onmouseover = function () { this.querySelector(".sub").style.display = "block"; };
    items[i].onmouseout = function () { this.querySelector(".sub").style.display = "none"; };
  }
});
